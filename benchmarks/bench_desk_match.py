"""Desk match benchmark: one arrival against the whole history on PostgreSQL.

Loads a generated history (one Person per true person, from their first event) into the
PostgreSQL database retorno_linkage_bench with COPY, then times
identity.matching.person_match_candidates for arrivals of returning persons (held-out later
events) and of new persons, and prints p50/p95/p99 latency, top-5 recall and how often a new
person got a 'probable'/'certain' candidate.

    .venv/bin/python benchmarks/bench_desk_match.py --events 1300000 --seed 2026 [--reuse]

Target (docs/linkage.md): p95 under 50 ms for ~1M persons.
"""

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "retorno_linkage_bench"
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_URL = f"{SERVER}/{DB_NAME}"


def _prepare_database(reuse: bool) -> bool:
    """Create the database and its schema; True when persons must be (re)loaded."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as con:
        exists = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,)).fetchone()
        if exists and not reuse:
            con.execute(f'DROP DATABASE "{DB_NAME}"')
            exists = None
        if not exists:
            con.execute(f'CREATE DATABASE "{DB_NAME}"')
    env = {**os.environ, "DATABASE_URL": DB_URL}
    for cmd in (["migrate", "-v0"], ["load_reference"]):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *cmd], check=True, env=env, capture_output=True
        )
    return not (exists and reuse)


def _read_events(path: Path) -> dict[str, list[dict]]:
    by_person: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_person.setdefault(row["true_person_id"], []).append(row)
    return by_person


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _load_persons(history: dict[str, dict]) -> dict[str, int]:
    """COPY one Person per true person; returns true_person_id -> Person pk."""
    from django.db import connection

    from retorno.identity import names
    from retorno.identity.models import Person
    from retorno.reference.models import State

    states = dict(State.objects.values_list("code", "pk"))
    now = datetime.now(UTC)
    seen_curps: set[str] = set()
    table = Person._meta.db_table
    cols = [
        "given_names",
        "first_surname",
        "second_surname",
        "sex",
        "birth_date",
        "birth_state_id",
        "nationality",
        "curp",
        "curp_validated",
        "phone_mx",
        "phone_us",
        "indigenous_language",
        "preferred_language",
        "key_given",
        "key_first_surname",
        "key_second_surname",
        "created_at",
        "updated_at",
        "indigenous",
        "email",
        "contact_by_message",
    ]
    order = list(history)
    with connection.cursor() as cur:
        raw = cur.connection
        with raw.cursor() as c, c.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for tid in order:
                r = history[tid]
                curp = r["curp"].upper()
                if curp in seen_curps:
                    curp = ""  # homonyms with identical data: one live CURP only
                if curp:
                    seen_curps.add(curp)
                copy.write_row(
                    (
                        r["given_names"][:120],
                        r["first_surname"][:80],
                        r["second_surname"][:80],
                        r["sex"],
                        _date(r["birth_date"]),
                        states.get(r["birth_state"]),
                        "MX",
                        curp,
                        False,
                        "",
                        "",
                        "",
                        "es",
                        names.key(names.significant_given_name(r["given_names"]))[:60],
                        names.key(r["first_surname"])[:60],
                        names.key(r["second_surname"])[:60],
                        now,
                        now,
                        None,
                        "",
                        False,
                    )
                )
        cur.execute(f"ANALYZE {table}")
        cur.execute(f"SELECT id FROM {table} ORDER BY id")
        ids = [row[0] for row in cur.fetchall()]
    return dict(zip(order, ids, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_300_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--input", help="a generated CSV (default: generate, or reuse the bench_linkage file)"
    )
    parser.add_argument("--queries", type=int, default=1000, help="arrivals of returning persons to time")
    parser.add_argument("--new", type=int, default=300, help="arrivals of persons not in the history")
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
    # A benchmark runs the production settings (DEBUG off): they need a secret and hosts.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)  # BENCH_SECRET
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    sys.path.insert(0, str(ROOT))
    import django

    load = _prepare_database(args.reuse)
    django.setup()
    from retorno.identity.matching import MatchQuery, person_match_candidates
    from retorno.identity.models import Person

    path = (
        Path(args.input)
        if args.input
        else Path(tempfile.gettempdir()) / f"retorno_bench_{args.events}_{args.seed}.csv"
    )
    if not path.exists():
        from retorno.linkage.synthetic import generate_returnees

        generate_returnees(events=args.events, seed=args.seed, out=path)
    by_person = _read_events(path)
    rnd = random.Random(args.seed)
    repeaters = [t for t, evs in by_person.items() if len(evs) > 1]
    singles = [t for t, evs in by_person.items() if len(evs) == 1]
    returning = rnd.sample(repeaters, min(args.queries, len(repeaters)))
    newcomers = set(rnd.sample(singles, min(args.new, len(singles))))
    history = {t: evs[0] for t, evs in by_person.items() if t not in newcomers}
    if load:
        t0 = time.perf_counter()
        pk_of = _load_persons(history)
        print(f"loaded {len(pk_of):,} persons with COPY in {time.perf_counter() - t0:.0f}s")
    else:
        ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
        pk_of = dict(zip(history, ids, strict=True))
    print(
        f"history: {Person.objects.count():,} persons ({len(by_person):,} true persons, {args.events:,} events)"
    )

    def query(row: dict) -> MatchQuery:
        return MatchQuery(
            given_names=row["given_names"],
            first_surname=row["first_surname"],
            second_surname=row["second_surname"],
            sex=row["sex"],
            birth_date=_date(row["birth_date"]),
            birth_state=row["birth_state"],
            curp=row["curp"],
        )

    cases = [(query(by_person[t][-1]), pk_of[t]) for t in returning] + [
        (query(by_person[t][0]), None) for t in newcomers
    ]
    rnd.shuffle(cases)
    for q, _ in cases[:30]:  # warm-up: caches, model file, connection
        person_match_candidates(q)
    times, found, returning_total, false_strong = [], 0, 0, 0
    for q, expected in cases:
        t0 = time.perf_counter()
        candidates = person_match_candidates(q)
        times.append((time.perf_counter() - t0) * 1000)
        if expected is not None:
            returning_total += 1
            found += any(c.person_id == expected for c in candidates)
        elif any(c.band in ("certain", "probable") for c in candidates):
            false_strong += 1
    qs = statistics.quantiles(times, n=100)
    print(
        f"desk match over {len(times)} arrivals: p50 {qs[49]:.1f} ms  p95 {qs[94]:.1f} ms  p99 {qs[98]:.1f} ms  "
        f"max {max(times):.1f} ms"
    )
    print(
        f"returning persons found in the top 5: {found}/{returning_total} ({found / max(returning_total, 1):.1%})"
    )
    print(f"new persons shown a probable/certain candidate: {false_strong}/{len(newcomers)}")


if __name__ == "__main__":
    main()
