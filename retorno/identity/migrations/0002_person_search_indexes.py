"""Indexes for the person search at national volume, PostgreSQL only (SQLite scans are fast at
the sizes it serves): prefix searches on the matching keys (LIKE 'K%' needs pattern operators
unless the database collation is C), and substring searches on the given names through
trigrams (pg_trgm, a contrib extension shipped with PostgreSQL)."""

from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS person_key_given_prefix ON identity_person (key_given varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS person_key_first_prefix ON identity_person (key_first_surname varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS person_key_second_prefix ON identity_person (key_second_surname varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS person_given_trgm ON identity_person USING gin (UPPER(given_names::text) gin_trgm_ops)",
]
DROP = ["person_key_given_prefix", "person_key_first_prefix", "person_key_second_prefix", "person_given_trgm"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in DROP:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
