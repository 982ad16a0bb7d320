"""Benchmark: policy report generation and coverage with a full year of agency reports.

Fills every PEM line with reports from N agencies for two semesters (inside a transaction that is
rolled back), then times coverage, build_report, PDF and DOCX rendering. Prints figures only.

    RETORNO_VAR_DIR=/tmp/retorno-bench .venv/bin/retorno setup   # once: a throwaway database
    RETORNO_VAR_DIR=/tmp/retorno-bench .venv/bin/python benchmarks/policy_report.py --agencies 10
"""

import argparse
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
# A benchmark runs the production settings (DEBUG off): they need a secret and hosts.
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from retorno.accounts.models import Role, User  # noqa: E402
from retorno.directory.models import Institution  # noqa: E402
from retorno.policy import selectors  # noqa: E402
from retorno.policy.models import PemLine, ProgressReport  # noqa: E402
from retorno.policy.periods import parse_period  # noqa: E402
from retorno.policy.report import build_report, render_docx, render_pdf  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<34} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=10)
    args = parser.parse_args()
    lines = list(PemLine.objects.all())
    if not lines:
        raise SystemExit("Load the catalog first: retorno setup")
    try:
        with transaction.atomic():
            admin = User.objects.create(username="bench-policy-admin", role=Role.ADMIN)
            agencies = [
                Institution.objects.create(code=f"BENCH-{i}", name=f"Agencia {i}")
                for i in range(args.agencies)
            ]
            rows = []
            for code in ("2026-S1", "2026-S2"):
                p = parse_period(code)
                for agency in agencies:
                    for line in lines:
                        rows.append(
                            ProgressReport(
                                line=line,
                                institution=agency,
                                order=agency.order,
                                period=p.code,
                                period_start=p.start,
                                period_end=p.end,
                                status="in_progress",
                                narrative="Avance del periodo con acciones coordinadas entre órdenes de gobierno. "
                                * 3,
                                figures=[{"label": "Personas atendidas", "value": 120.0, "unit": ""}],
                                created_by=admin,
                            )
                        )
            timed(
                f"insert {len(rows)} reports",
                lambda: ProgressReport.objects.bulk_create(rows, batch_size=500),
            )
            periods = [parse_period(c) for c in ("2025-S1", "2025-S2", "2026-S1", "2026-S2")]
            timed("coverage 195 lines x 4 semesters", lambda: selectors.coverage(user=admin, periods=periods))
            data = timed("build_report 2026", lambda: build_report(parse_period("2026")))
            pdf = timed("render_pdf", lambda: render_pdf(data))
            docx = timed("render_docx", lambda: render_docx(data))
            print(f"PDF {len(pdf):,} bytes, DOCX {len(docx):,} bytes, {data.reports_total} entries")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
