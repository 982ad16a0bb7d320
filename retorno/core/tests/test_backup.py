"""The documented backup and restore procedure works: dump, restore into a new database, and
every record (and the audit trail's integrity) is there."""

import os
import sqlite3
import subprocess
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from retorno.audit.integrity import audit_seal_all
from retorno.testing.world import world_build

pytestmark = pytest.mark.django_db(transaction=True)


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    out = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        out[table] = cursor.fetchone()[0]
    return out


def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed})


def test_backup_then_restore_finds_every_record(tmp_path):
    world_build()
    audit_seal_all()
    tables = _tables()
    with connection.cursor() as cursor:
        before = _counts(cursor, tables)
    assert before["identity_person"] > 0 and before["audit_auditentry"] > 0
    dump = tmp_path / "retorno.backup"
    call_command("backup", out=str(dump), verbosity=0)
    assert dump.stat().st_size > 0
    if connection.vendor == "sqlite":
        with sqlite3.connect(dump) as restored:
            after = _counts(restored.cursor(), tables)
            triggers = {r[0] for r in restored.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert {"retorno_audit_update", "retorno_audit_delete"} <= triggers
    else:
        from retorno.core.management.commands.backup import pg_conninfo

        db = connection.settings_dict
        name = f"retorno_restore_{uuid.uuid4().hex[:8]}"
        env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
        conninfo = pg_conninfo(db)
        subprocess.run(["createdb", *conninfo, name], check=True, env=env)
        try:
            subprocess.run(["pg_restore", "--no-owner", *conninfo, "--dbname", name, str(dump)], check=True, env=env)
            import psycopg

            with psycopg.connect(
                host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None, dbname=name
            ) as restored:
                after = _counts(restored.cursor(), tables)
                # The restored trail is still append-only.
                with pytest.raises(psycopg.errors.RaiseException):
                    restored.execute("DELETE FROM audit_auditentry")
        finally:
            subprocess.run(["dropdb", *conninfo, "--if-exists", name], check=True, env=env)
    assert after == before
