"""Shared start of the benchmarks that build their own database: production settings (DEBUG
off), on a throwaway SQLite file or a fresh PostgreSQL database named after the benchmark."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(database: str, name: str) -> None:
    """Point Django at a new database (`database`: sqlite | postgres) and set it up."""
    sys.path.insert(0, str(ROOT))
    if database == "postgres":
        server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{server}/{name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix=name + '-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    import django

    django.setup()
