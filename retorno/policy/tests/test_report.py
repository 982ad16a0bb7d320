import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from retorno.policy.periods import parse_period
from retorno.policy.report import build_report, render_docx, render_pdf
from retorno.policy.tests.factories import load_catalog, make_indicator, make_report, registered_query
from retorno.testing.factories import make_institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    load_catalog()
    make_report(
        line="4.6.1",
        institution=make_institution(
            "OIM-R", name="Organismo de prueba", acronym="OIMR", order="international"
        ),
        period="2026-S2",
        status="blocked",
        narrative="Reintegración económica detenida por falta de fondos.",
        figures=[{"label": "Planes iniciados", "value": 240, "unit": ""}],
    )
    make_report(line="4.4.3", period="2025-S2", narrative="Fuera del periodo")
    make_indicator(
        query="policy_test_reint",
        code="T-REINT",
        name_es="Tasa de reintegración de prueba",
        target_value=60,
        target_year=2027,
        gcm=(21,),
    )
    with registered_query("policy_test_reint", lambda p, f: 45.0):
        yield build_report(parse_period("2026"))


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_report_gathers_entries_of_the_period_under_mapped_objectives(content):
    section = next(s for s in content.sections if s.objective.number == 21)
    assert [e.line.code for e in section.lines] == ["4.6.1"]
    assert any(iv.indicator.code == "T-REINT" and iv.value == 45.0 for iv in section.indicators)
    assert content.reports_total == 1 and content.lines_reported == 1
    assert len(content.sections) == 23


def test_pdf_is_a_real_pdf_with_objectives_indicators_entries_and_page_numbers(content):
    data = render_pdf(content)
    assert data.startswith(b"%PDF-")
    text, pages = _pdf_text(data)
    assert pages >= 3
    assert "Objetivo 21. Cooperar para facilitar el retorno" in text.replace("\n", " ")
    assert "Tasa de reintegración de prueba" in text
    assert "45.0 %" in text or "45,0 %" in text
    assert "falta de fondos" in text and "Bloqueada" in text
    assert "Fuera del periodo" not in text
    assert f"Página {pages}" in text
    assert "sin datos / consulta no" in text  # the catalog's indicators whose queries are not registered


def test_docx_has_a_heading_per_objective_and_the_indicator_table(content):
    doc = Document(io.BytesIO(render_docx(content)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert sum(1 for h in headings if h.startswith("Objetivo ")) == 23
    assert any(h.startswith("Objetivo 21. Cooperar") for h in headings)
    assert "4.6.1 Crear mecanismos de integración económica" in " ".join(headings)
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Tasa de reintegración de prueba" in cells and "T-REINT" in cells
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "falta de fondos" in body


def test_report_renders_in_english():
    from django.utils import translation

    load_catalog()
    with translation.override("en"):
        data = render_docx(build_report(parse_period("2026")))
    doc = Document(io.BytesIO(data))
    assert any("Cooperate in facilitating safe and dignified return" in p.text for p in doc.paragraphs)


def test_command_writes_pdf_and_docx(tmp_path):
    load_catalog()
    make_report(line="3.4.3", period="2026-S1", narrative="Atención integral en puntos de recepción")
    call_command("policy_report", "--period", "2026", "--format", "pdf", "--out", str(tmp_path / "r.pdf"))
    call_command(
        "policy_report", "--period", "2026-S1", "--format", "docx", "--out", str(tmp_path / "r.docx")
    )
    text, _ = _pdf_text((tmp_path / "r.pdf").read_bytes())
    assert "Atención integral en puntos de recepción" in text
    assert Document(str(tmp_path / "r.docx")).core_properties.title.endswith("2026-S1")


def test_command_rejects_a_bad_period(tmp_path):
    with pytest.raises(CommandError, match="Periodo inválido"):
        call_command("policy_report", "--period", "2026-S7", "--out", str(tmp_path / "r.pdf"))
    assert not (tmp_path / "r.pdf").exists()
