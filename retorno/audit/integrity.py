"""The audit trail cannot be changed, and a deletion behind the database's back is detected.

1. Append-only in the database: triggers refuse UPDATE and DELETE on the audit tables (and
   TRUNCATE on PostgreSQL), whoever runs them, the application's own database user included. The
   one update allowed is the sealer's, which fills the chain columns of a row not yet sealed.
2. Hash chain: `audit_seal` numbers the committed rows in order (seq 1, 2, 3...) and stores in each
   the SHA-256 of the previous row's hash and of the row's own content (and of the persons a list
   read showed). `audit_verify` recomputes the chain and names the first broken link: a row
   changed, removed (a gap in seq) or inserted out of band. Publishing the newest hash (the
   verify command prints it) also pins the end of the chain.

Sealing is separate from writing so that registrations do not queue on one global lock: the
worker seals every few seconds (`retorno worker`), and `retorno audit seal` does it by hand.
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction

from retorno.audit.models import AuditEntry, AuditEntryPerson

SEAL_BATCH = 2000
# PostgreSQL advisory lock that makes sealing single-file (any number, fixed for this purpose).
_SEAL_LOCK = 7_365_001
GENESIS = "0" * 64

_CONTENT_COLUMNS = (
    "id", "at", "user_id", "username", "role", "action", "object_type", "object_id", "person_id",
    "reception_point_id", "detail", "ip", "path", "channel",
)  # fmt: skip


def _canonical(entry: AuditEntry, persons: list[int]) -> bytes:
    values = {name: getattr(entry, name if name != "user_id" else "user_id") for name in _CONTENT_COLUMNS}
    values["at"] = entry.at.isoformat(timespec="microseconds")
    values["persons"] = persons
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str).encode()


def entry_hash(prev_hash: str, entry: AuditEntry, persons: list[int]) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(entry, persons)).hexdigest()


def _persons_of(entry_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry_id, person_id in (
        AuditEntryPerson.objects.filter(entry_id__in=entry_ids).order_by("entry_id", "person_id").values_list("entry_id", "person_id")
    ):
        out.setdefault(entry_id, []).append(person_id)
    return out


def audit_seal(*, batch: int = SEAL_BATCH) -> int:
    """Chain the committed entries that are not sealed yet, oldest id first; returns how many
    were sealed (call again while it returns `batch`)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        last = AuditEntry.objects.filter(seq__isnull=False).order_by("-seq").only("seq", "hash").first()
        seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
        pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch])
        persons = _persons_of([e.pk for e in pending])
        values = []
        for entry in pending:
            seq += 1
            entry.hash = entry_hash(prev, entry, persons.get(entry.pk, []))
            values.append((entry.pk, seq, prev, entry.hash))
            prev = entry.hash
        _write_chain(values)
    return len(pending)


def _write_chain(values: list[tuple[int, int, str, str]]) -> None:
    """UPDATE ... FROM (VALUES ...): one statement per few hundred rows. Written by hand because
    Django's bulk_update builds a CASE per column and row, which cost more than the hashing."""
    table = AuditEntry._meta.db_table
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        rows = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params = [v for row in chunk for v in row]
        if connection.vendor == "postgresql":
            sql = (
                f"UPDATE {table} AS a SET seq = v.seq, prev_hash = v.prev, hash = v.hash FROM "
                f"(VALUES {rows}) AS v(id, seq, prev, hash) WHERE a.id = v.id::bigint"
            )
            params = [int(p) if i % 4 in (0, 1) else p for i, p in enumerate(params)]
        else:
            sql = (
                f"WITH v(id, seq, prev, hash) AS (VALUES {rows}) UPDATE {table} SET seq = v.seq, "
                f"prev_hash = v.prev, hash = v.hash FROM v WHERE {table}.id = v.id"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def audit_seal_all() -> int:
    total = 0
    while True:
        sealed = audit_seal()
        total += sealed
        if sealed < SEAL_BATCH:
            return total


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    unsealed: int
    head_seq: int
    head_hash: str
    problem: str = ""  # the first broken link, in words
    broken_seq: int | None = None


def audit_verify(*, batch: int = 5000) -> VerifyResult:
    """Recompute the chain from seq 1; stop at the first broken link."""
    unsealed = AuditEntry.objects.filter(seq__isnull=True).count()
    expected_seq, prev, checked = 1, GENESIS, 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch])
        if not rows:
            return VerifyResult(True, checked, unsealed, expected_seq - 1, prev)
        persons = _persons_of([e.pk for e in rows])
        for entry in rows:
            if entry.seq != expected_seq:
                return VerifyResult(
                    False, checked, unsealed, expected_seq - 1, prev,
                    f"entries {expected_seq}..{entry.seq - 1} are missing (deleted?) before entry id {entry.pk}",
                    expected_seq,
                )  # fmt: skip
            if entry.prev_hash != prev:
                return VerifyResult(
                    False, checked, unsealed, expected_seq - 1, prev,
                    f"entry seq {entry.seq} (id {entry.pk}) does not follow the previous entry", entry.seq,
                )  # fmt: skip
            if entry_hash(prev, entry, persons.get(entry.pk, [])) != entry.hash:
                return VerifyResult(
                    False, checked, unsealed, expected_seq - 1, prev,
                    f"entry seq {entry.seq} (id {entry.pk}) was changed after it was sealed", entry.seq,
                )  # fmt: skip
            prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1


# --- Database triggers ---------------------------------------------------------------------------

_TABLE = AuditEntry._meta.db_table
_PERSONS = AuditEntryPerson._meta.db_table
_UNCHANGED = " AND ".join(
    f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" if c != "detail" else "NEW.detail::text IS NOT DISTINCT FROM OLD.detail::text"
    for c in _CONTENT_COLUMNS
)

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION retorno_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    -- Only a test database's teardown may empty the trail (audit_maintenance_allow_flush).
    IF current_setting('retorno.audit_maintenance', true) = 'on' THEN RETURN NULL; END IF;
  ELSIF TG_OP = 'UPDATE' AND TG_TABLE_NAME = '{_TABLE}' AND OLD.hash = '' AND NEW.hash <> ''
        AND {_UNCHANGED} THEN
    RETURN NEW;  -- the sealer fills the chain columns of an unsealed row
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'the audit trail is append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused';
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS retorno_audit_rows ON {_TABLE};
CREATE TRIGGER retorno_audit_rows BEFORE UPDATE OR DELETE ON {_TABLE}
  FOR EACH ROW EXECUTE FUNCTION retorno_audit_append_only();
DROP TRIGGER IF EXISTS retorno_audit_truncate ON {_TABLE};
CREATE TRIGGER retorno_audit_truncate BEFORE TRUNCATE ON {_TABLE}
  FOR EACH STATEMENT EXECUTE FUNCTION retorno_audit_append_only();
DROP TRIGGER IF EXISTS retorno_audit_rows ON {_PERSONS};
CREATE TRIGGER retorno_audit_rows BEFORE UPDATE OR DELETE ON {_PERSONS}
  FOR EACH ROW EXECUTE FUNCTION retorno_audit_append_only();
DROP TRIGGER IF EXISTS retorno_audit_truncate ON {_PERSONS};
CREATE TRIGGER retorno_audit_truncate BEFORE TRUNCATE ON {_PERSONS}
  FOR EACH STATEMENT EXECUTE FUNCTION retorno_audit_append_only();
"""

_SQLITE_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _CONTENT_COLUMNS)
# SQLite triggers cannot read a session setting: a row in this table (written only by the test
# suite's teardown, audit_maintenance_allow_flush) lets the database be emptied.
SQLITE_INSTALL = [
    "CREATE TABLE IF NOT EXISTS retorno_audit_maintenance (allowed INTEGER)",
    f"""CREATE TRIGGER IF NOT EXISTS retorno_audit_update BEFORE UPDATE ON {_TABLE}
        WHEN NOT (OLD.hash = '' AND NEW.hash <> '' AND {_SQLITE_UNCHANGED})
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS retorno_audit_delete BEFORE DELETE ON {_TABLE}
        WHEN NOT EXISTS (SELECT 1 FROM retorno_audit_maintenance)
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS retorno_audit_persons_update BEFORE UPDATE ON {_PERSONS}
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS retorno_audit_persons_delete BEFORE DELETE ON {_PERSONS}
        WHEN NOT EXISTS (SELECT 1 FROM retorno_audit_maintenance)
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE refused'); END""",
]


def install_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INSTALL)
    elif vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def audit_maintenance_allow_flush() -> None:
    """Test teardown only: let the next flush empty the audit tables (a real deployment never
    calls this; an operator who can run it could equally drop the triggers, which the hash chain
    then exposes)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET retorno.audit_maintenance = 'on'")
        elif connection.vendor == "sqlite":
            cursor.execute("INSERT INTO retorno_audit_maintenance (allowed) VALUES (1)")


def audit_maintenance_end() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("RESET retorno.audit_maintenance")
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM retorno_audit_maintenance")
