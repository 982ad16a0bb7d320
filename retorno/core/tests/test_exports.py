"""Every CSV/XLSX the application writes neutralises formula cells (OWASP CSV injection)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from retorno.core.exports import FORMULA_START, SafeWriter, cell_safe, cell_unescape, xlsx_append

PAYLOADS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_cells_become_text_and_read_back_as_typed(payload):
    safe = cell_safe(payload)
    assert safe.startswith("'") and cell_unescape(safe) == payload
    assert cell_safe(-5) == -5 and cell_safe("ordinario") == "ordinario"


def test_csv_writer_and_xlsx_never_write_a_formula():
    out = io.StringIO()
    SafeWriter(out).writerow(PAYLOADS)
    assert all(not cell.startswith(FORMULA_START) for cell in next(csv.reader(io.StringIO(out.getvalue()))))
    from openpyxl import Workbook

    book = Workbook()
    xlsx_append(book.active, PAYLOADS)
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [c.data_type for c in sheet[1]] == ["s"] * len(PAYLOADS)
    assert [c.value for c in sheet[1]] == PAYLOADS


@pytest.mark.django_db
def test_hsds_export_neutralises_an_imported_formula_and_reimports_it_unchanged():
    from retorno.directory import hsds
    from retorno.directory.models import Service
    from retorno.directory.tests.factories import make_service

    service = make_service(code="formula", description=PAYLOADS[0])
    files = hsds.export_files()
    rows = list(csv.DictReader(io.StringIO(files["services.csv"])))
    [row] = [r for r in rows if r["name"] == service.name]
    assert row["description"] == "'" + PAYLOADS[0]
    Service.objects.filter(pk=service.pk).update(description="cambiada")
    report = hsds.import_files(files)  # raises ValidationError on a bad package
    assert report.updated["services"] >= 1
    assert Service.objects.get(pk=service.pk).description == PAYLOADS[0]


@pytest.mark.django_db
def test_statistics_and_manifest_error_reports_are_safe(client):
    from retorno.manifests.services import manifest_import
    from retorno.manifests.tests.factories import HEADER, make_manifest_desk

    _point, officer = make_manifest_desk()
    bad = f"{HEADER}\n=cmd|' /C calc'!A0,Ruiz,,H,99/99/1999,MN,,,\n".encode()
    manifest = manifest_import(user=officer, point=officer.reception_point, content=bad, filename="x.csv")
    client.force_login(officer)
    body = client.get(f"/manifests/{manifest.pk}/errors.csv").content.decode("utf-8-sig")
    for cell in (c for r in csv.reader(io.StringIO(body)) for c in r):
        assert not cell.startswith(FORMULA_START), cell
