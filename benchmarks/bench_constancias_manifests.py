"""Figures for constancias and manifests on the configured database (changes are rolled back).

Run after `retorno setup`:  .venv/bin/python benchmarks/bench_constancias_manifests.py
Prints: seconds to import a manifest of N rows (CSV and XLSX), and per-constancia issue+PDF time.
"""

import io
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
# A benchmark runs the production settings (DEBUG off): they need a secret and hosts.
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from retorno.accounts.models import User  # noqa: E402
from retorno.constancias.services import constancia_issue, constancia_print  # noqa: E402
from retorno.identity.models import Person  # noqa: E402
from retorno.manifests.services import manifest_import  # noqa: E402
from retorno.reception.models import RepatriationEvent  # noqa: E402
from retorno.reference.models import ReceptionPoint  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "1000"))
CONSTANCIAS = int(os.environ.get("BENCH_CONSTANCIAS", "50"))
STATES = ["MN", "JC", "GR", "OC", "PL", "GT", "ZS", "MC"]


def rows():
    for i in range(ROWS):
        bad = i % 20 == 19
        yield [
            f"Nombre{chr(65 + i % 26)}",
            "Ramírez",
            "López",
            "X" if bad else "HM"[i % 2],
            (datetime(1970, 1, 1) + timedelta(days=i * 7)).strftime("%Y-%m-%d"),
            STATES[i % len(STATES)],
            "",
            "2026-11-24 10:00",
            f"Autobús {i // 50 + 1}",
        ]


HEADER = [
    "nombre",
    "primer_apellido",
    "segundo_apellido",
    "sexo",
    "fecha_nacimiento",
    "entidad_nacimiento",
    "curp",
    "llegada_esperada",
    "observaciones",
]


class Rollback(Exception):
    pass


def main():
    officer = User.objects.get(username="oficial.tijuana")
    point = ReceptionPoint.objects.get(code="TIJ")
    csv_content = "\n".join(",".join(r) for r in [HEADER, *rows()]).encode()
    wb = Workbook()
    ws = wb.active
    for r in [HEADER, *rows()]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    xlsx_content = buf.getvalue()
    try:
        with transaction.atomic():
            for name, content in (("csv", csv_content), ("xlsx", xlsx_content)):
                t = time.perf_counter()
                m = manifest_import(user=officer, point=point, content=content, filename=f"bench.{name}")
                dt = time.perf_counter() - t
                print(
                    f"manifest import {name}: {ROWS} rows ({len(content)} bytes) in {dt:.2f} s "
                    f"-> {m.row_count} rows, {m.error_line_count} bad lines"
                )
            events = []
            for i in range(CONSTANCIAS):
                p = Person.objects.create(given_names=f"Bench{i}", first_surname="Pérez", sex="H")
                events.append(
                    RepatriationEvent.objects.create(
                        person=p, reception_point=point, arrived_at=timezone.now()
                    )
                )
            t = time.perf_counter()
            size = 0
            for e in events:
                size += len(
                    constancia_print(user=officer, constancia=constancia_issue(user=officer, event=e))
                )
            dt = time.perf_counter() - t
            print(
                f"constancia issue+PDF: {CONSTANCIAS} in {dt:.2f} s ({dt / CONSTANCIAS * 1000:.0f} ms each, "
                f"{size // CONSTANCIAS} bytes per PDF)"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
