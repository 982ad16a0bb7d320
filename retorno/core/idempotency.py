"""Same key, same answer, no second record.

A client that retries a registration (a timeout, a double click, two tabs) sends the same key:
the first request stores its answer in the same transaction as its write; a later one with that
key gets the stored answer back. Two requests racing with one key: the second waits for the
first's commit on the unique index, then replays its answer.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.core.exceptions import DomainError
from retorno.core.models import IdempotencyKey

MAX_KEY_LENGTH = 200
MSG_KEY_REUSED = _("La clave Idempotency-Key ya se usó con otros datos; use una clave nueva para otra solicitud.")
MSG_KEY_INVALID = _("Idempotency-Key no válida: de 1 a 200 caracteres visibles.")


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: Any
    replayed: bool


def fingerprint(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def key_is_valid(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isprintable() and not key.isspace()


def _claim(user, scope: str, key: str, request_fingerprint: str) -> int | None:
    """Insert the key unless it exists; its new id when this request inserted it. One statement, no
    savepoint: INSERT ... ON CONFLICT DO NOTHING (PostgreSQL and SQLite alike). On PostgreSQL a
    concurrent insert of the same key waits here for the other transaction, then finds its row."""
    table = IdempotencyKey._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, scope, key, fingerprint, created_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (user_id, scope, key) DO NOTHING RETURNING id",
            [user.pk, scope, key, request_fingerprint, now],
        )
        row = cursor.fetchone()
        return row[0] if row else None


def idempotent(*, user, scope: str, key: str, request_fingerprint: str, run: Callable[[], tuple[int, Any]]) -> Outcome:
    """Run `run()` -> (status, JSON body) once per (user, scope, key); later calls with that key
    get the stored outcome (replayed=True). Raises DomainError when the key comes back with a
    different request (fingerprint), or while the first request is still running. Runs in the
    caller's transaction: a failing `run()` rolls back the key with the rest."""
    if not key_is_valid(key):
        raise DomainError(MSG_KEY_INVALID, code="idempotency_key_invalid")
    claimed = _claim(user, scope, key, request_fingerprint)
    if claimed is None:
        record = IdempotencyKey.objects.get(user=user, scope=scope, key=key)
        if request_fingerprint and record.fingerprint and record.fingerprint != request_fingerprint:
            raise DomainError(MSG_KEY_REUSED, code="idempotency_key_reused")
        return Outcome(record.status_code or 200, record.response, True)
    status, body = run()
    with connection.cursor() as cursor:  # by id, as written: the ORM update cost more than the write
        cursor.execute(
            f"UPDATE {IdempotencyKey._meta.db_table} SET status_code = %s, response = %s WHERE id = %s",
            [status, json.dumps(body, cls=DjangoJSONEncoder), claimed],
        )
    return Outcome(status, body, False)


def idempotent_result(*, user, scope: str, key: str) -> IdempotencyKey | None:
    """The stored outcome of a key, if a write under it was done (the desk's resubmit check)."""
    return IdempotencyKey.objects.filter(user=user, scope=scope, key=key, status_code__isnull=False).first()


def idempotency_store(*, user, scope: str, key: str, status_code: int, body) -> None:
    """Record, in the caller's transaction, that a write was done under `key` (the desk form)."""
    IdempotencyKey.objects.create(user=user, scope=scope, key=key, status_code=status_code, response=body)
