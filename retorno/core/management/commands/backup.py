import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def pg_conninfo(settings_dict: dict) -> list[str]:
    """pg_dump/pg_restore connection options from Django's database settings."""
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [option, str(settings_dict[key])]
    return args


class Command(BaseCommand):
    help = (
        "Back up the database to a file: PostgreSQL with pg_dump (custom format, restore with "
        "pg_restore, see docs/operations.md); SQLite with its online backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="File to write")

    def handle(self, *args, out, **options):
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        db = connection.settings_dict
        if connection.vendor == "postgresql":
            if shutil.which("pg_dump") is None:
                raise CommandError("pg_dump is not installed (Debian: postgresql-client)")
            env = {"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else None
            command = ["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *pg_conninfo(db), db["NAME"]]
            result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(target) as copy:
                connection.connection.backup(copy)
        else:
            raise CommandError(f"No backup procedure for {connection.vendor}")
        self.stdout.write(f"Backup written to {target} ({target.stat().st_size} bytes).")
