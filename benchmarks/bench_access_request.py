"""Benchmark: answering an access request (ARCO) - the complete record of a person, with who
read it, as JSON and PDF (rights.record), for the demo's people.

Builds a fresh database with the demo data (`retorno setup`'s reference and demo loading), then
for every demo person with a diagnosis, a referral or a follow-up (the richest records) times
`request_decide(grant=True)` on an access request: collecting the record, the audit trail, and
rendering both files. Prints p50 / p95 / max and the sizes.

    .venv/bin/python benchmarks/bench_access_request.py [--database sqlite|postgres]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench_db import start_django  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
args = parser.parse_args()
start_django(args.database, "retorno_arco_bench")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main() -> None:
    devnull = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=devnull)
    call_command("load_demo", verbosity=0, stdout=devnull)
    from django.db.models import Q

    from retorno.accounts.models import User
    from retorno.identity.models import Person
    from retorno.rights.models import DataRightsRequest
    from retorno.rights.services import request_decide, request_file_by_person

    supervisor = User.objects.get(username="supervisor.nacional")
    persons = list(
        Person.objects.filter(
            Q(diagnoses__isnull=False) | Q(referrals__isnull=False) | Q(followups__isnull=False)
        ).distinct()[:60]
    )
    timings, pdf_sizes, json_sizes, audit_rows = [], [], [], []
    for person in persons:
        request = request_file_by_person(person=person, kind="access")
        started = time.perf_counter()
        request_decide(user=supervisor, request=request, grant=True)
        timings.append((time.perf_counter() - started) * 1000)
        done = DataRightsRequest.objects.get(pk=request.pk)
        pdf_sizes.append(len(bytes(done.package_pdf)))
        json_sizes.append(len(bytes(done.package_json)))
        import json

        audit_rows.append(len(json.loads(bytes(done.package_json))["who_accessed"]))
    timings.sort()
    q = statistics.quantiles(timings, n=20) if len(timings) > 1 else timings * 19
    print(f"{len(persons)} access requests granted, database {connection.vendor}")
    print(
        f"record + audit trail + JSON + PDF: p50 {statistics.median(timings):.0f} ms, p95 {q[18]:.0f} ms, max {timings[-1]:.0f} ms"
    )
    print(f"PDF {statistics.median(pdf_sizes) / 1024:.1f} KB median, JSON {statistics.median(json_sizes) / 1024:.1f} KB median, "
          f"audit entries per record: median {statistics.median(audit_rows):.0f}, max {max(audit_rows)}")  # fmt: skip


if __name__ == "__main__":
    main()
