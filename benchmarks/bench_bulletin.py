"""Benchmark: the monthly bulletin over 10 million repatriation events on PostgreSQL.

    .venv/bin/python benchmarks/bench_bulletin.py [--events 10000000] [--persons 5000000]
        [--db retorno_statistics_bench] [--reuse]

Creates (or, with --reuse, keeps) the database, loads reference data, bulk-loads persons and events
with COPY (psycopg, not the ORM; foreign-key triggers off during the load, ids generated
consistently), then prints the time of: the full refresh of the pre-aggregates, an incremental
refresh of one month, and the full bulletin (all tables, national, exact and suppressed) of the
latest month, read from the pre-aggregates. Target: bulletin under 2 s.
"""

import argparse
import io
import os
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database(name: str, host: str) -> str:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{host}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@{host}/{name}"


def _copy(cursor, table: str, columns: list[str], frame) -> None:
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False, na_rep="\\N")
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
        copy.write(buffer.getvalue())


def _drop_indexes(cursor, table: str) -> list[str]:
    """Drop the plain indexes of `table` (standard bulk-load practice) and return their DDL."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    found = cursor.fetchall()
    for name, _ddl in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [ddl for _name, ddl in found]


def load(n_events: int, n_persons: int, first_month: date, months: int) -> None:
    import pandas as pd
    from django.db import connection

    from retorno.reference.models import ReceptionPoint, State

    rng = np.random.default_rng(20261024)
    points = list(ReceptionPoint.objects.order_by("pk").values_list("pk", "code"))
    point_ids = np.array([p for p, _ in points])
    point_w = np.array([20, 10, 4, 12, 8, 1, 3, 6, 9, 10, 8, 9][: len(points)], dtype=float)
    air_point = dict((code, pk) for pk, code in points).get("AICM")
    state_ids = np.array(list(State.objects.exclude(code="NE").order_by("pk").values_list("pk", flat=True)))
    state_w = rng.gamma(1.0, 1.0, len(state_ids)) + 0.05
    now = datetime.now(UTC).isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers during the load
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("TRUNCATE statistics_eventaggregate, statistics_aggregatemonth")
        cursor.execute("TRUNCATE reception_repatriationevent, identity_person RESTART IDENTITY CASCADE")
        indexes = _drop_indexes(cursor, "identity_person") + _drop_indexes(
            cursor, "reception_repatriationevent"
        )
        chunk = 1_000_000
        began = time.perf_counter()
        for start in range(0, n_persons, chunk):
            size = min(chunk, n_persons - start)
            frame = pd.DataFrame(
                {
                    "id": np.arange(start + 1, start + size + 1),
                    "given_names": "Persona",
                    "first_surname": "Sintética",
                    "second_surname": "",
                    "sex": np.where(rng.random(size) < 0.12, "M", "H"),
                    "birth_state_id": rng.choice(state_ids, size, p=state_w / state_w.sum()),
                    "nationality": "MX",
                    "curp": "",
                    "curp_validated": "f",
                    "phone_mx": "",
                    "phone_us": "",
                    "indigenous_language": "",
                    "preferred_language": "es",
                    "key_given": "",
                    "key_first_surname": "",
                    "key_second_surname": "",
                    "created_at": now,
                    "updated_at": now,
                    "email": "",
                    "contact_by_message": "f",
                }
            )
            _copy(cursor, "identity_person", list(frame.columns), frame)
        print(f"persons loaded: {n_persons:,} in {time.perf_counter() - began:.1f} s", flush=True)
        began = time.perf_counter()
        start_ts = datetime(first_month.year, first_month.month, 1, 8, tzinfo=UTC).timestamp()
        span = months * 30.4 * 86400
        for start in range(0, n_events, chunk):
            size = min(chunk, n_events - start)
            roll = rng.random(size)
            age = np.where(
                roll < 0.02,
                rng.integers(0, 12, size),
                np.where(roll < 0.065, rng.integers(12, 18, size), rng.integers(18, 70, size)),
            )
            unaccompanied = (age < 18) & (rng.random(size) < 0.4)
            point = rng.choice(point_ids, size, p=point_w / point_w.sum())
            origin = rng.choice(state_ids, size, p=state_w / state_w.sum()).astype(float)
            origin[rng.random(size) < 0.05] = np.nan
            # UTC wall-clock text (the COPY session runs in UTC); numpy formats it in C.
            stamps = np.datetime_as_string((start_ts + rng.random(size) * span).astype("datetime64[s]"))
            frame = pd.DataFrame(
                {
                    "id": np.arange(start + 1, start + size + 1),
                    "person_id": rng.integers(1, n_persons + 1, size),
                    "reception_point_id": point,
                    "arrived_at": stamps,
                    "mode": np.where(point == air_point, "air", "land"),
                    "documents": "[]",
                    "origin_state_id": pd.array(origin, dtype="Int64"),
                    "destination_municipality": "",
                    "age_at_arrival": age,
                    "minor": np.where(age < 18, "t", "f"),
                    "estimated_age_band": "",
                    # An accompanied minor names the adult (any person id: FK triggers are off).
                    "accompanied_by_id": pd.array(
                        np.where((age < 18) & ~unaccompanied, rng.integers(1, n_persons + 1, size), np.nan),
                        dtype="Int64",
                    ),
                    "accompanied_relationship": np.where((age < 18) & ~unaccompanied, "mother", ""),
                    "unaccompanied_minor": np.where(unaccompanied, "t", "f"),
                    "status": "closed",
                    "notes": "bench",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            _copy(cursor, "reception_repatriationevent", list(frame.columns), frame)
            print(f"  events: {start + size:,}", flush=True)
        cursor.execute("SET session_replication_role = DEFAULT")
        print(f"copied in {time.perf_counter() - began:.1f} s; rebuilding {len(indexes)} indexes", flush=True)
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for ddl in indexes:
            cursor.execute(ddl)
        for table in ("identity_person", "reception_repatriationevent"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    print(f"events loaded: {n_events:,} in {time.perf_counter() - began:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--persons", type=int, default=5_000_000)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--db", default="retorno_statistics_bench")
    parser.add_argument("--host", default="127.0.0.1:5432")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded events; only time")
    parser.add_argument("--no-full-refresh", action="store_true", help="skip timing the full refresh")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _database(args.db, args.host)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
    # A benchmark runs the production settings (DEBUG off): they need a secret and hosts.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)  # BENCH_SECRET
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from retorno.reception.models import RepatriationEvent
    from retorno.statistics.aggregates import months_back
    from retorno.statistics.bulletin import bulletin_build
    from retorno.statistics.forms import latest_month
    from retorno.statistics.selectors import Audience
    from retorno.statistics.services import aggregates_refresh

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_reference", stdout=io.StringIO())
    last = date.today().replace(day=1)
    first = months_back(last, args.months)[0]
    if not args.reuse or not RepatriationEvent.objects.exists():
        with transaction.atomic():
            load(args.events, args.persons, first, args.months)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE identity_person")
            cursor.execute("ANALYZE reception_repatriationevent")
    print(f"events in database: {RepatriationEvent.objects.count():,}", flush=True)

    if not args.no_full_refresh:
        began = time.perf_counter()
        records = aggregates_refresh()
        print(
            f"full refresh of the pre-aggregates: {time.perf_counter() - began:.1f} s ({len(records)} months)",
            flush=True,
        )
    month = latest_month()
    began = time.perf_counter()
    aggregates_refresh(first=month, last=month)
    print(f"incremental refresh of {month:%Y-%m}: {time.perf_counter() - began:.2f} s", flush=True)

    for label, audience in (
        ("exact (national)", Audience(points=None, suppressed=False)),
        ("suppressed (public)", Audience.public()),
    ):
        timings = []
        for _run in range(3):
            began = time.perf_counter()
            bulletin = bulletin_build(month=month, audience=audience)
            [t.as_dict() for t in bulletin.tables]
            timings.append(time.perf_counter() - began)
        events = bulletin.table("point_sex").grid[-1][-1]
        print(
            f"bulletin {month:%Y-%m} {label}: best {min(timings):.3f} s, first {timings[0]:.3f} s "
            f"({len(bulletin.tables)} tables, {events:,} events in the month)",
            flush=True,
        )


if __name__ == "__main__":
    main()
