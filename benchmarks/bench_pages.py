"""Benchmark: p50/p95 of the main pages at national volume (the 10-million-event database of
bench_bulletin.py on PostgreSQL), each page as the role that uses it.

    .venv/bin/python benchmarks/bench_bulletin.py                 # once: builds retorno_statistics_bench
    .venv/bin/python benchmarks/bench_pages.py [--db retorno_statistics_bench] [--runs 20]
    .venv/bin/python benchmarks/bench_pages.py --sqlite var/retorno.sqlite3   # the demo of `make run`

Adds (once) what bench_bulletin.py does not load: a user per role, follow-up contacts for the
last year's arrivals (about four per arrival, like the default plan), the handover to DIF of
unaccompanied children who arrived more than two days ago, and the policy indicators
of the current year computed by their background job. Then requests each page through Django's
test client (the whole middleware stack, DEBUG off, no network) `--runs` times after one warm-up,
and prints p50/p95 in milliseconds. Targets (issue 11): p95 < 300 ms on the 10M database,
under 1 s on the demo SQLite.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)  # BENCH_SECRET
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("RETORNO_MFA_REQUIRED_ROLES", "")  # the benchmark signs in without a phone
    import django

    django.setup()


def _users():
    from retorno.accounts.models import Role, User
    from retorno.directory.models import Institution
    from retorno.reference.models import ReceptionPoint

    point = ReceptionPoint.objects.order_by("pk").first()
    institution = Institution.objects.order_by("pk").first()
    specs = {
        "officer": dict(role=Role.RECEPTION_OFFICER, reception_point=point),
        "supervisor": dict(role=Role.SUPERVISOR),
        "child_protection": dict(role=Role.CHILD_PROTECTION, reception_point=point),
        "analyst": dict(role=Role.ANALYST),
        "caseworker": dict(role=Role.CASEWORKER, institution=institution),
    }
    users = {}
    for name, fields in specs.items():
        user, _ = User.objects.get_or_create(username=f"bench.{name}", defaults=fields)
        users[name] = user
    return users, point


def _realistic_names() -> None:
    """bench_bulletin.py names everyone "Persona Sintética" (its tables do not need names);
    searches need the real spread: names and surnames drawn by weight from the linkage
    generator's lists (data/linkage), their RENAPO keys, and birth dates. Once."""
    import csv

    from django.db import connection

    from retorno.identity import names
    from retorno.identity.models import Person

    if not Person.objects.filter(given_names="Persona").exists():
        return
    began = time.perf_counter()
    data = ROOT / "data" / "linkage"

    def slots(rows, weight, size=1000):
        total = sum(float(r[weight]) for r in rows)
        out = []
        for r in rows:
            out += [r] * max(1, round(size * float(r[weight]) / total))
        return out[:size] + [rows[0]] * max(0, size - len(out))

    given = list(csv.DictReader((data / "given_names.csv").open(encoding="utf-8")))
    surnames = slots(list(csv.DictReader((data / "surnames.csv").open(encoding="utf-8"))), "weight")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_given (sex char(1), slot int, name text, key text)")
        cursor.execute("CREATE TEMP TABLE bench_surname (slot int, name text, key text)")
        for sex in ("H", "M"):
            rows = slots([r for r in given if r["sex"] == sex], "weight")
            cursor.executemany(
                "INSERT INTO bench_given VALUES (%s, %s, %s, %s)",
                [(sex, i, r["given_names"], names.key(r["given_names"])) for i, r in enumerate(rows)],
            )
        cursor.executemany(
            "INSERT INTO bench_surname VALUES (%s, %s, %s)",
            [(i, r["surname"], names.key(r["surname"])) for i, r in enumerate(surnames)],
        )
        cursor.execute(
            """
            UPDATE identity_person p SET given_names = g.name, key_given = g.key,
                first_surname = s1.name, key_first_surname = s1.key,
                second_surname = s2.name, key_second_surname = s2.key,
                birth_date = date '1955-01-01' + (p.id * 7919 % 18000)::int
            FROM bench_given g, bench_surname s1, bench_surname s2
            WHERE g.sex = p.sex AND g.slot = p.id * 2654435761 % 1000
              AND s1.slot = p.id * 40503 % 1000 AND s2.slot = p.id * 9973 % 1000
            """
        )
        cursor.execute("ANALYZE identity_person")
    print(f"persons renamed realistically in {time.perf_counter() - began:.0f} s", flush=True)


def _followups() -> None:
    """Four contacts (1, 3, 6, 12 months) for every arrival of the last 12 months, if none yet."""
    from django.db import connection

    from retorno.followup.models import FollowUp

    if FollowUp.objects.exists():
        return
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO followup_followup (person_id, event_id, months, due_date, status, created_at)
            SELECT e.person_id, e.id, m.months, (e.arrived_at + make_interval(months => m.months))::date,
                   CASE WHEN random() < 0.3 THEN 'reached' ELSE 'pending' END, now()
            FROM reception_repatriationevent e CROSS JOIN (VALUES (1), (3), (6), (12)) AS m(months)
            WHERE e.arrived_at >= now() - interval '12 months'
            """
        )
        cursor.execute("ANALYZE followup_followup")
    print(
        f"follow-ups: {FollowUp.objects.count():,} created in {time.perf_counter() - began:.0f} s", flush=True
    )


def _handovers() -> None:
    """bench_bulletin.py records no handovers, so every unaccompanied child of ten years would be
    waiting at the point. At a real point a child is handed to DIF within hours (the event cannot
    close before): hand over those who arrived more than two days ago, once."""
    from django.db import connection

    from retorno.reception.models import ChildProtectionHandover

    if ChildProtectionHandover.objects.exists():
        return
    began = time.perf_counter()
    with connection.cursor() as cursor:
        # bench_bulletin.py closes every event; a child still waiting keeps the event open.
        cursor.execute(
            "UPDATE reception_repatriationevent SET status = 'open', closed_at = NULL "
            "WHERE unaccompanied_minor AND arrived_at >= now() - interval '2 days'"
        )
        cursor.execute(
            """
            INSERT INTO reception_childprotectionhandover
                (event_id, agency, received_by_name, received_by_position, handed_over_at, notes, recorded_at)
            SELECT e.id, 'DIF', 'Trabajadora social', '', e.arrived_at + interval '3 hours', '', now()
            FROM reception_repatriationevent e
            WHERE e.unaccompanied_minor AND e.arrived_at < now() - interval '2 days'
            """
        )
        cursor.execute("ANALYZE reception_childprotectionhandover")
    print(
        f"handovers: {ChildProtectionHandover.objects.count():,} recorded in {time.perf_counter() - began:.0f} s",
        flush=True,
    )


def _indicators(analyst) -> None:
    from retorno.jobs.services import job_start
    from retorno.policy.models import IndicatorSnapshot
    from retorno.policy.periods import current_period

    period = current_period(kind="Y")
    if IndicatorSnapshot.objects.filter(period_code=period.code).exists():
        return
    began = time.perf_counter()
    job = job_start(user=analyst, kind="policy_indicators", params={"period": period.code})
    if job.status != job.Status.DONE:  # the database backend queues it: run it here
        from retorno.jobs.services import job_execute

        job_execute(job.pk)
    print(
        f"policy indicators {period.code} computed in the background job: {time.perf_counter() - began:.0f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="retorno_statistics_bench")
    parser.add_argument("--host", default="127.0.0.1:5432")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", default="", help="time only the pages whose URL contains this")
    parser.add_argument("--queries", action="store_true", help="print each page's three slowest SQL queries")
    parser.add_argument(
        "--sqlite", default="", help="time the demo database of `make run` instead (e.g. var/retorno.sqlite3)"
    )
    args = parser.parse_args()
    _setup_django(
        f"sqlite:///{Path(args.sqlite).resolve()}"
        if args.sqlite
        else f"postgres://postgres@{args.host}/{args.db}"
    )

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from retorno.policy.periods import current_period
    from retorno.reception.models import RepatriationEvent
    from retorno.statistics.forms import latest_month

    call_command("migrate", interactive=False, verbosity=0)
    if args.queries:  # each request would empty the query log that CaptureQueriesContext reads
        from django.core.signals import request_started
        from django.db import reset_queries

        request_started.disconnect(reset_queries)
    users, point = _users()
    if not args.sqlite:  # the demo has its own names and follow-ups
        _realistic_names()
        _followups()
        _handovers()
    _indicators(users["analyst"])
    month = latest_month()
    person = (
        RepatriationEvent.objects.filter(reception_point=point)
        .order_by("-arrived_at")
        .values_list("person_id", flat=True)[:1][0]
    )
    year = current_period(kind="Y").code
    pages = [
        ("officer", "/"),
        ("officer", "/reception/"),
        ("officer", "/reception/events/"),
        ("officer", "/reception/events/?page=500"),
        ("officer", "/persons/?q=Hern%C3%A1ndez"),
        ("officer", "/persons/?q=Juan+Perez"),
        ("officer", "/persons/?q=Luis"),
        ("officer", f"/persons/{person}/"),
        ("officer", "/followup/"),
        ("officer", "/followup/?page=40"),
        ("officer", "/constancias/"),
        ("officer", "/manifests/"),
        ("child_protection", "/reception/minors/"),
        ("supervisor", "/"),
        ("supervisor", "/audit/"),
        ("supervisor", "/linkage/"),
        ("caseworker", "/referrals/"),
        ("analyst", "/"),
        ("analyst", f"/statistics/?month={month:%Y-%m}"),
        ("analyst", f"/statistics/indicators/?start={month:%Y}-01&end={month:%Y-%m}"),
        ("analyst", f"/policy/indicators/?period={year}"),
        ("analyst", "/policy/coverage/"),
        ("analyst", "/policy/report/"),
        ("analyst", "/jobs/"),
        (None, f"/statistics/open-data/?month={month:%Y-%m}"),
    ]
    print(
        f"{RepatriationEvent.objects.count():,} events; {args.runs} runs per page after one warm-up",
        flush=True,
    )
    print(f"{'role':<17} {'page':<46} {'status':>6} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    for role, url in pages:
        if args.only and args.only not in url:
            continue
        client = Client()
        if role:
            client.force_login(users[role])
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code  # warm-up (and the status shown)
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
        worst = max(worst, p95)
        print(
            f"{role or 'public':<17} {url[:46]:<46} {status:>6} {statistics.median(times):8.1f} {p95:8.1f}",
            flush=True,
        )
        if args.queries:
            for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(f"    {float(q['time']) * 1000:8.1f} ms  {q['sql'][:400]}")
    print(f"worst p95: {worst:.1f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
