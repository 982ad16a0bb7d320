from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.manifests.models import Manifest, ManifestIssue, ManifestRow
from retorno.manifests.services import manifest_import
from retorno.testing.factories import make_point, make_user

from .factories import csv_bytes, make_manifest_desk, xlsx_bytes

pytestmark = pytest.mark.django_db

MIXED = csv_bytes(
    "José Luis,Ramírez,Ortega,H,1985-02-14,MN,,2026-11-24 09:30,Autobús 1",  # line 2 ok
    "Ana,,,M,1990-01-01,,,,",  # line 3: no surname
    "Guadalupe,Sánchez,Torres,M,12/07/1992,Jalisco,,,",  # line 4 ok (state by name, d/m/Y)
    "Pedro,Díaz,,X,31/02/1990,ZZ,,mañana,",  # line 5: sex, date, state, expected_at
    "Luis,P4z,,H,,,RAOJ850214HMNMRS0,,",  # line 6: digits in surname, bad CURP length
    "José Luis,Ramírez,Ortega,H,1985-02-14,MN,,,",  # line 7: duplicate of line 2
)


def issues_of(manifest):
    return [(i.line_number, i.column, i.code) for i in manifest.issues.all()]


def test_good_rows_are_kept_and_bad_lines_reported_with_line_column_and_code():
    point, officer = make_manifest_desk()
    m = manifest_import(user=officer, point=point, content=MIXED, filename="lista.csv", title="Autobús 1")
    assert [r.line_number for r in m.rows.all()] == [2, 4]
    assert m.row_count == 2 and m.error_line_count == 4
    assert issues_of(m) == [
        (3, "primer_apellido", "surname_required"),
        (5, "sexo", "sex_invalid"),
        (5, "fecha_nacimiento", "date_invalid"),
        (5, "entidad_nacimiento", "state_unknown"),
        (5, "llegada_esperada", "datetime_invalid"),
        (6, "primer_apellido", "name_chars"),
        (6, "curp", "curp_length"),
        (7, "nombre", "duplicate_person"),
    ]
    row = m.rows.get(line_number=4)
    assert (row.birth_date, row.birth_state.code, row.sex, row.status) == (
        date(1992, 7, 12),
        "JC",
        "M",
        "pending",
    )


def test_issue_messages_are_in_the_readers_language():
    point, officer = make_manifest_desk()
    m = manifest_import(user=officer, point=point, content=MIXED, filename="lista.csv")
    issue = m.issues.get(line_number=7)
    with translation.override("es"):
        assert (
            issue.message
            == "Persona repetida (mismo nombre y fecha de nacimiento): ya aparece en la línea 2."
        )
    assert issue.value == "José Luis"
    sex = m.issues.get(line_number=5, column="sexo")
    with translation.override("es"):
        assert sex.message == "Sexo no reconocido: use H (hombre) o M (mujer)."
    with translation.override("en"):  # the same stored problem, read by an English-speaking officer
        assert sex.message == "Unrecognised sex: use H (male) or M (female)."
    assert sex.value == "X"


def test_import_is_audited_with_counts():
    point, officer = make_manifest_desk()
    m = manifest_import(user=officer, point=point, content=MIXED, filename="lista.csv")
    entry = AuditEntry.objects.get(action="create", object_type="manifests.manifest")
    assert entry.object_id == str(m.pk) and entry.detail["rows"] == 2 and entry.detail["error_lines"] == 4


def test_refused_file_stores_nothing():
    point, officer = make_manifest_desk()
    with pytest.raises(ValidationError):
        manifest_import(user=officer, point=point, content=b"foo,bar\n1,2\n", filename="x.csv")
    assert not Manifest.objects.exists() and not ManifestRow.objects.exists()
    assert not ManifestIssue.objects.exists()


def test_english_sex_convention_when_file_uses_f():
    point, officer = make_manifest_desk()
    content = b"first_name,last_name,gender\nJohn,Perez,M\nMary,Lopez,F\n"
    m = manifest_import(user=officer, point=point, content=content, filename="us.csv")
    assert list(m.rows.values_list("sex", flat=True)) == ["H", "M"]


def test_m_is_ambiguous_when_file_mixes_h_and_f():
    point, officer = make_manifest_desk()
    content = b"nombre,apellido,sexo\nJuan,Perez,H\nMaria,Lopez,F\nAna,Ruiz,M\n"
    m = manifest_import(user=officer, point=point, content=content, filename="x.csv")
    assert m.row_count == 2 and issues_of(m) == [(4, "sexo", "sex_ambiguous")]


def test_duplicate_curp_in_file_is_reported_on_the_later_line():
    point, officer = make_manifest_desk()
    curp = "BOXW310820HNERXN09"
    content = csv_bytes(f"Wenceslao,Bobadilla,,H,1931-08-20,,{curp},,", f"W.,Bobadilla,,H,,,{curp.lower()},,")
    m = manifest_import(user=officer, point=point, content=content, filename="x.csv")
    assert issues_of(m) == [(3, "curp", "duplicate_curp")]
    assert m.rows.get().curp == curp


def test_formula_cells_are_reported_and_never_stored():
    point, officer = make_manifest_desk()
    content = csv_bytes("Ana,\"=cmd|' /C calc'!A0\",,M,,,,,", "Luis,Paz,,H,,,,,=1+1")
    m = manifest_import(user=officer, point=point, content=content, filename="x.csv")
    assert issues_of(m) == [(2, "primer_apellido", "formula"), (3, "observaciones", "formula")]
    assert m.row_count == 0


def test_xlsx_manifest_imports_with_dates_and_formula_errors():
    point, officer = make_manifest_desk()
    from datetime import datetime

    content = xlsx_bytes(
        [
            ["Nombre", "Apellido paterno", "Apellido materno", "Sexo", "Fecha de nacimiento", "Entidad"],
            ["Ana", "Ruiz", "Soto", "Mujer", datetime(1990, 1, 2), "MN"],
            ["Luis", "=A2", "", "H", "1985-03-04", "Guerrero"],
            [None, None, None, None, None, None],
            ["Iván", "Paz", "", "hombre", 19850304, ""],
        ]
    )
    m = manifest_import(user=officer, point=point, content=content, filename="lista.xlsx")
    assert m.file_format == "xlsx"
    assert [r.line_number for r in m.rows.all()] == [2]
    assert m.rows.get().birth_date == date(1990, 1, 2)
    assert issues_of(m) == [(3, "Apellido paterno", "formula"), (5, "Fecha de nacimiento", "date_invalid")]


def test_officer_of_another_point_and_caseworker_cannot_import():
    point, _ = make_manifest_desk("TIJ")
    outsider = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    for user in (outsider, make_user(Role.CASEWORKER), make_user(Role.ANALYST)):
        with pytest.raises(PermissionDenied):
            manifest_import(user=user, point=point, content=MIXED, filename="x.csv")
    assert not Manifest.objects.exists()
