"""Downloads and the bulletin command produce valid CSV / XLSX / Parquet / JSON with the same numbers."""

import csv
import io
import json
from datetime import date

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from retorno.accounts.models import Role
from retorno.statistics.bulletin import bulletin_build
from retorno.statistics.selectors import Audience
from retorno.statistics.tests.factories import known_dataset
from retorno.testing.factories import make_user

pytestmark = pytest.mark.django_db

NATIONAL = Audience(points=None, suppressed=False)


def _expected(audience=NATIONAL) -> dict:
    """{(table, row_key, column_key): value} from the bulletin itself."""
    bulletin = bulletin_build(month=date(2026, 10, 1), audience=audience)
    out = {}
    for table in bulletin.tables:
        rows, cols = [*table.row_keys, "TOTAL"], [*table.column_keys, "TOTAL"]
        for r, row in enumerate(table.published()):
            for c, value in enumerate(row):
                out[(table.key, str(rows[r]), str(cols[c]))] = value
        for measure, values in zip(table.measures, table.published_measures(), strict=True):
            for r, value in enumerate(values):
                out[(table.key, str(rows[r]), measure.key)] = value
    return out


@pytest.fixture
def admin_client(client):
    known_dataset()
    client.force_login(make_user(Role.ADMIN))
    return client


def test_csv_download_holds_every_published_cell(admin_client):
    response = admin_client.get("/statistics/download/bulletin.csv?month=2026-10")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    got = {
        (r["table"], r["row_key"], r["column_key"]): float(r["value"]) if r["value"] else None for r in rows
    }
    assert got == _expected()
    assert got[("point_sex", "TOTAL", "TOTAL")] == 10
    assert {r["unit"] for r in rows} == {"events", "persons", "referrals", "surveys", "grievances"}
    assert all(r["data_as_of"] for r in rows)


def test_parquet_download_has_the_same_numbers_and_nulls_for_suppressed_cells(client):
    known_dataset()
    response = client.get("/statistics/open-data/bulletin.parquet?month=2026-10")
    table = pq.read_table(io.BytesIO(response.content)).to_pylist()
    got = {(r["table"], r["row_key"], r["column_key"]): r["value"] for r in table}
    assert got == _expected(Audience.public())
    assert any(r["suppressed"] and r["value"] is None for r in table)


def test_xlsx_download_has_one_sheet_per_table_with_totals(admin_client):
    response = admin_client.get("/statistics/download/point_sex.xlsx?month=2026-10")
    sheet = load_workbook(io.BytesIO(response.content))["point_sex"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Punto de recepción")
    body = {r[0]: r[1:4] for r in rows[header + 1 :] if r and r[0]}
    assert body["Tijuana"] == (4, 2, 6)
    assert body["Total"] == (8, 2, 10)
    assert any(r[0] == "Datos al" and r[1] for r in rows)


def test_public_xlsx_marks_suppressed_cells(client):
    known_dataset()
    response = client.get("/statistics/open-data/point_sex.xlsx?month=2026-10")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [v for r in sheet.iter_rows(values_only=True) for v in r]
    assert "*" in values
    assert not any(isinstance(v, int) and 0 < v < 5 for v in values)


def test_internal_downloads_are_audited(admin_client):
    from retorno.audit.models import AuditEntry

    admin_client.get("/statistics/download/state_sex.csv?month=2026-10")
    entry = AuditEntry.objects.get(object_type="statistics.bulletin")
    assert entry.action == "export" and entry.object_id == "state_sex" and entry.person_id is None


@pytest.mark.parametrize(
    "url,status",
    [
        ("/statistics/open-data/nope.csv", 404),
        ("/statistics/open-data/bulletin.exe", 404),
        ("/statistics/open-data/bulletin.csv?month=2026-13", 400),
        ("/statistics/open-data/bulletin.csv?month=2099-01", 400),
        ("/statistics/open-data/bulletin.csv?month=" + "9" * 5000, 400),
        ("/statistics/open-data/?month=abc", 200),  # the page shows the error and the latest month
        ("/statistics/download/bulletin.csv?month=2026-10&sex=X", 400),
        ("/api/statistics/bulletin?month=2026-10&age_group=99", 400),
        ("/api/statistics/bulletin?month=2026-10&vulnerability=pregnant", 400),
        ("/api/statistics/bulletin/nope", 404),
        ("/api/statistics/indicators/nope", 404),
        ("/api/statistics/indicators?start=2026-11&end=2026-01", 400),
        ("/api/statistics/indicators?start=2000-01&end=2026-01", 400),
        ("/api/statistics/indicators?start=2026-10&vulnerability=pregnant", 400),
        ("/api/statistics/indicators?start=2026-10&vulnerability=indigenous", 200),
    ],
)
def test_bad_input_gets_a_clear_error_not_a_500(admin_client, url, status):
    response = admin_client.get(url)
    assert response.status_code == status
    if url.startswith("/api/") and status == 400:
        assert response.json()["detail"]


def test_api_errors_are_in_spanish_by_default_and_english_on_request(admin_client):
    es = admin_client.get("/api/statistics/bulletin?month=2026-13").json()
    assert "AAAA-MM" in es["detail"]
    en = admin_client.get("/api/statistics/bulletin?month=2026-13", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "YYYY-MM" in en["detail"]


def test_bulletin_command_writes_json_and_files(tmp_path, capsysbinary):
    known_dataset()
    call_command("bulletin", "--month", "2026-10", "--exact")
    payload = json.loads(capsysbinary.readouterr().out)
    point_sex = next(t for t in payload["tables"] if t["key"] == "point_sex")
    assert point_sex["values"][-1] == [8, 2, 10]
    assert payload["data_as_of"]
    out = tmp_path / "b.parquet"
    call_command("bulletin", "--month", "2026-10", "--format", "parquet", "--out", str(out))
    rows = pq.read_table(out).to_pylist()
    assert {(r["table"], r["row_key"], r["column_key"]): r["value"] for r in rows} == _expected(
        Audience.public()
    )
    call_command("bulletin", "--month", "2026-10", "--format", "xlsx", "--out", str(tmp_path / "b.xlsx"))
    assert load_workbook(tmp_path / "b.xlsx").sheetnames[0] == "point_month"


def test_bulletin_command_refuses_bad_input():
    with pytest.raises(CommandError):
        call_command("bulletin", "--month", "oct")
    with pytest.raises(CommandError):
        call_command("bulletin", "--month", "2026-10", "--format", "xlsx")


def test_refresh_command_verifies_against_the_live_computation(capsys):
    known_dataset()
    call_command("refresh_statistics", "--verify")
    assert "Verified" in capsys.readouterr().out
