"""Same key, same answer, no second record.

A client that retries a registration (a timeout, a double click, two tabs) sends the same key:
the first request stores its answer in the same transaction as its write; a later one with that
key gets the stored answer back. Two requests racing with one key: the second waits for the
first's commit on the unique index, then replays its answer.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
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


def idempotent(*, user, scope: str, key: str, request_fingerprint: str, run: Callable[[], tuple[int, Any]]) -> Outcome:
    """Run `run()` -> (status, JSON body) once per (user, scope, key); later calls with that key
    get the stored outcome (replayed=True). Raises DomainError when the key comes back with a
    different request (fingerprint), or while the first request is still running."""
    if not key_is_valid(key):
        raise DomainError(MSG_KEY_INVALID, code="idempotency_key_invalid")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=user, scope=scope, key=key, fingerprint=request_fingerprint
                )
        except IntegrityError:
            record = IdempotencyKey.objects.get(user=user, scope=scope, key=key)
            if request_fingerprint and record.fingerprint and record.fingerprint != request_fingerprint:
                raise DomainError(MSG_KEY_REUSED, code="idempotency_key_reused") from None
            return Outcome(record.status_code or 200, record.response, True)
        status, body = run()
        record.status_code, record.response = status, body
        record.save(update_fields=["status_code", "response"])
        return Outcome(status, body, False)


def idempotent_result(*, user, scope: str, key: str) -> IdempotencyKey | None:
    """The stored outcome of a key, if a write under it was done (the desk's resubmit check)."""
    return IdempotencyKey.objects.filter(user=user, scope=scope, key=key, status_code__isnull=False).first()


def idempotency_store(*, user, scope: str, key: str, status_code: int, body) -> None:
    """Record, in the caller's transaction, that a write was done under `key` (the desk form)."""
    IdempotencyKey.objects.create(user=user, scope=scope, key=key, status_code=status_code, response=body)
