"""The periodic policy report: one document per period, organised by Global Compact objective like
Mexico's 2018 report (seed 004). For each objective: the indicators that report on it (value,
target, progress) and the agencies' progress entries on the PEM lines mapped to it.

`build_report(period)` gathers the content; `render_pdf` (ReportLab) and `render_docx`
(python-docx) lay it out. The document holds aggregates and agencies' narratives only.
"""

import io
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from retorno.policy.models import GcmObjective, Indicator, PemLine, ProgressReport
from retorno.policy.periods import ReportingPeriod
from retorno.policy.selectors import IndicatorValue, indicator_values, reports_in_period


@dataclass
class LineEntries:
    line: PemLine
    reports: list[ProgressReport]


@dataclass
class ObjectiveSection:
    objective: GcmObjective
    indicators: list[IndicatorValue]
    lines: list[LineEntries]

    @property
    def reports_count(self) -> int:
        return sum(len(e.reports) for e in self.lines)


@dataclass
class PolicyReport:
    period: ReportingPeriod
    generated_at: datetime
    sections: list[ObjectiveSection]
    lines_total: int
    lines_reported: int
    reports_total: int
    by_status: dict[str, int] = field(default_factory=dict)
    unmapped: list[LineEntries] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("Informe de avances de la política migratoria - periodo %(period)s") % {
            "period": self.period.code
        }


def build_report(period: ReportingPeriod, reports=None, values=None) -> PolicyReport:
    """Gather the report content for `period`. `reports` defaults to every report of the period
    (the generator is used by national roles and the command line); `values` (the indicator
    values) are computed when not given."""
    qs = reports if reports is not None else ProgressReport.objects.all()
    qs = (
        reports_in_period(qs, period)
        .select_related("institution", "line")
        .prefetch_related("evidence_files")
        .order_by("line__position", "institution__name", "period_start")
    )
    by_line: dict[int, list[ProgressReport]] = {}
    for report in qs:
        by_line.setdefault(report.line_id, []).append(report)
    indicators = list(Indicator.objects.prefetch_related("gcm_objectives", "pem_lines"))
    if values is None:
        values = indicator_values(period, indicators)
    values = {v.indicator.pk: v for v in values}
    sections = []
    objectives = GcmObjective.objects.prefetch_related("pem_lines")
    for objective in objectives:
        lines = sorted(objective.pem_lines.all(), key=lambda line: line.position)
        sections.append(
            ObjectiveSection(
                objective=objective,
                indicators=[values[i.pk] for i in indicators if objective in i.gcm_objectives.all()],
                lines=[LineEntries(line, by_line[line.pk]) for line in lines if line.pk in by_line],
            )
        )
    unmapped_lines = PemLine.objects.filter(pk__in=by_line.keys(), gcm_objectives__isnull=True).order_by(
        "position"
    )
    by_status: dict[str, int] = {}
    for reports in by_line.values():
        for report in reports:
            label = report.get_status_display()
            by_status[label] = by_status.get(label, 0) + 1
    return PolicyReport(
        period=period,
        generated_at=timezone.localtime(),
        sections=sections,
        lines_total=PemLine.objects.count(),
        lines_reported=len(by_line),
        reports_total=sum(len(r) for r in by_line.values()),
        by_status=by_status,
        unmapped=[LineEntries(line, by_line[line.pk]) for line in unmapped_lines],
    )


FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render_file(data: "PolicyReport", fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in `fmt` ('pdf' or 'docx'; KeyError otherwise)."""
    content_type = FORMATS[fmt]
    content = render_pdf(data) if fmt == "pdf" else render_docx(data)
    return content, content_type, f"informe-politica-{data.period.code}.{fmt}"


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == Indicator.Unit.PERCENT:
        return f"{number_format(value, 1)} %"
    if unit == Indicator.Unit.SCORE:
        return number_format(value, 2)
    if unit == Indicator.Unit.DAYS:
        return f"{number_format(value, 1)} " + _("días")
    return number_format(value, 0 if float(value).is_integer() else 1, force_grouping=True)


def indicator_cells(iv: IndicatorValue) -> list[str]:
    """[code, name, value, target, progress] as display strings."""
    ind = iv.indicator
    if iv.state == "pending":
        value = _("por calcular")
    elif iv.state == "unavailable":
        value = _("sin datos / consulta no disponible")
    elif iv.state == "error":
        value = _("error al calcular")
    elif iv.state == "no_data":
        value = _("sin datos")
    else:
        value = format_value(iv.value, ind.unit)
    target = "-"
    if ind.target_value is not None:
        target = f"{format_value(ind.target_value, ind.unit)} ({ind.target_year})"
        if ind.direction == Indicator.Direction.DECREASE:
            target = "≤ " + target
    if iv.met is None:
        progress = "-"
    elif iv.progress_pct is not None:
        progress = f"{number_format(iv.progress_pct, 1)} %" + (" ✓" if iv.met else "")
    else:
        progress = _("meta alcanzada") if iv.met else _("meta no alcanzada")
    return [ind.code, ind.name, value, target, progress]


def entry_lines(report: ProgressReport) -> list[str]:
    """Figures and evidence of a report as short lines of text."""
    out = [
        f"{f['label']}: {number_format(f['value'], 0 if float(f['value']).is_integer() else 2, force_grouping=True)}"
        f"{(' ' + f['unit']) if f.get('unit') else ''}"
        for f in report.figures
    ]
    out += [_("Evidencia: %(link)s") % {"link": link} for link in report.evidence_links]
    out += [
        _("Archivo de evidencia: %(name)s") % {"name": ev.original_name} for ev in report.evidence_files.all()
    ]
    return out


def _reviewed(report: ProgressReport) -> str:
    return _("revisado") if report.reviewed_at else _("sin revisar")


# --- PDF (ReportLab) ---------------------------------------------------------------------------


def _summary_sentence(data: PolicyReport) -> str:
    """The PEM lines reported on, or, in a country pack without a national plan, what the report
    covers instead."""
    if not data.lines_total:
        return _(
            "Este país no tiene un plan nacional cargado: el informe presenta los indicadores de cada "
            "objetivo del Pacto Mundial."
        )
    return _(
        "Líneas de acción del PEM con informe en el periodo: %(n)s de %(total)s. Informes de avance: %(reports)s."
    ) % {"n": data.lines_reported, "total": data.lines_total, "reports": data.reports_total}


def render_pdf(data: PolicyReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()  # a fresh sheet per call, so changing it here is local
    for name in ("Heading2", "Heading3", "Heading4", "Heading5"):
        styles[name].keepWithNext = 1  # never leave a heading alone at the foot of a page
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=8, leading=10)
    cell = ParagraphStyle("cell", parent=styles["BodyText"], fontSize=8, leading=9.5)
    body = styles["BodyText"]

    def p(text: str, style=body) -> Paragraph:
        return Paragraph(_pdf_safe(text), style)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=letter,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=data.title,
        author="Retorno",
        subject=_("Pacto Mundial para la Migración y PEM") if data.lines_total else _("Pacto Mundial para la Migración"),
    )
    footer = _("Retorno · %(title)s") % {"title": data.title}

    def on_page(canvas, doc_):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, footer[:110])
        canvas.drawRightString(letter[0] - 2 * cm, 1.2 * cm, _("Página %(n)s") % {"n": doc_.page})
        canvas.restoreState()

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    story = [
        p(data.title, styles["Title"]),
        p(
            _("Periodo: %(start)s a %(end)s. Generado el %(when)s.")
            % {
                "start": data.period.start.isoformat(),
                "end": data.period.end.isoformat(),
                "when": date_format(data.generated_at, "SHORT_DATETIME_FORMAT"),
            }
        ),
        Spacer(1, 8),
        p(_("Resumen"), styles["Heading2"]),
        p(_summary_sentence(data)),
    ]
    if data.by_status:
        story.append(p("; ".join(f"{k}: {v}" for k, v in sorted(data.by_status.items()))))
    story.append(
        p(
            _(
                "Los indicadores son agregados; las cifras pequeñas se suprimen según la política de estadística."
            ),
            small,
        )
    )

    for section in data.sections:
        obj = section.objective
        story.append(
            p(_("Objetivo %(n)s. %(title)s") % {"n": obj.number, "title": obj.title}, styles["Heading2"])
        )
        if section.indicators:
            story.append(p(_("Indicadores"), styles["Heading3"]))
            header = [_("Clave"), _("Indicador"), _("Valor"), _("Meta"), _("Avance")]
            rows = [[p(c, cell) for c in header]] + [
                [p(c, cell) for c in indicator_cells(iv)] for iv in section.indicators
            ]
            table = Table(rows, colWidths=[1.6 * cm, 6.4 * cm, 3.4 * cm, 3 * cm, 3 * cm], repeatRows=1)
            table.setStyle(grid)
            story.append(table)
        if data.lines_total:
            story.append(p(_("Acciones informadas por las instituciones"), styles["Heading3"]))
        if data.lines_total and not section.lines:
            story.append(
                p(
                    _(
                        "Ninguna institución informó avances en las líneas del PEM vinculadas a este objetivo."
                    ),
                    small,
                )
            )
        for entry in section.lines:
            story.extend(_pdf_line(entry, p, styles, cell, grid, cm))
        if obj.commitments_2018:
            story.append(p(_("Compromisos expresados en el informe de 2018"), styles["Heading4"]))
            story.extend(p("• " + c, small) for c in obj.commitments_2018)
    if data.unmapped:
        story.append(p(_("Líneas del PEM sin objetivo del Pacto asignado"), styles["Heading2"]))
        for entry in data.unmapped:
            story.extend(_pdf_line(entry, p, styles, cell, grid, cm))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def _pdf_line(entry: LineEntries, p, styles, cell, grid, cm) -> list:
    """The line as a heading and each agency's entry as a bulleted paragraph, as in seed 004
    (one table per line made ReportLab re-wrap every cell several times: 10x slower)."""
    from reportlab.platypus import Paragraph

    out = [p(f"{entry.line.code} {entry.line.text}", styles["Heading5"])]
    for r in entry.reports:
        head = f"{r.institution} ({_order_label(r.order)}), {r.period}: {r.get_status_display()} ({_reviewed(r)})."
        body = "\n".join([r.narrative, *entry_lines(r)])
        markup = f"<b>{_pdf_safe(head)}</b> {_pdf_safe(body)}"
        out.append(Paragraph(markup, cell, bulletText="•"))
    return out


def _pdf_safe(text: str) -> str:
    # Helvetica (WinAnsi) lacks a few symbols; swap them rather than print black boxes.
    text = str(text).replace("≤", "<=").replace("✓", "(ok)")
    return escape(text).replace("\n", "<br/>")


def _order_label(order: str) -> str:
    from retorno.directory.models import Institution

    return str(dict(Institution.Order.choices).get(order, order))


# --- DOCX (python-docx) ------------------------------------------------------------------------


def render_docx(data: PolicyReport) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = Document()
    document.core_properties.title = data.title
    document.core_properties.author = "Retorno"
    document.add_heading(data.title, level=0)
    document.add_paragraph(
        _("Periodo: %(start)s a %(end)s. Generado el %(when)s.")
        % {
            "start": data.period.start.isoformat(),
            "end": data.period.end.isoformat(),
            "when": date_format(data.generated_at, "SHORT_DATETIME_FORMAT"),
        }
    )
    # Page numbers in the footer through a PAGE field (python-docx has no API for fields).
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(_("Página") + " ")
    run = footer.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)

    document.add_heading(_("Resumen"), level=1)
    document.add_paragraph(_summary_sentence(data))
    if data.by_status:
        document.add_paragraph("; ".join(f"{k}: {v}" for k, v in sorted(data.by_status.items())))

    for section in data.sections:
        obj = section.objective
        document.add_heading(_("Objetivo %(n)s. %(title)s") % {"n": obj.number, "title": obj.title}, level=1)
        if section.indicators:
            document.add_heading(_("Indicadores"), level=2)
            table = document.add_table(rows=1, cols=5)
            table.style = "Table Grid"
            for i, text in enumerate([_("Clave"), _("Indicador"), _("Valor"), _("Meta"), _("Avance")]):
                table.rows[0].cells[i].text = text
            for iv in section.indicators:
                cells = table.add_row().cells
                for i, text in enumerate(indicator_cells(iv)):
                    cells[i].text = text
        if data.lines_total:
            document.add_heading(_("Acciones informadas por las instituciones"), level=2)
        if data.lines_total and not section.lines:
            document.add_paragraph(
                _("Ninguna institución informó avances en las líneas del PEM vinculadas a este objetivo.")
            )
        for entry in section.lines:
            _docx_line(document, entry)
        if obj.commitments_2018:
            document.add_heading(_("Compromisos expresados en el informe de 2018"), level=3)
            for c in obj.commitments_2018:
                document.add_paragraph(c, style="List Bullet")
    if data.unmapped:
        document.add_heading(_("Líneas del PEM sin objetivo del Pacto asignado"), level=1)
        for entry in data.unmapped:
            _docx_line(document, entry)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _styled(document, style_id: str, text: str = ""):
    """add_paragraph with a style id set directly: python-docx resolves a style *name* by scanning
    every style on each call, which made a 4,000-entry report take minutes."""
    para = document.add_paragraph(text)
    para._p.get_or_add_pPr().style = style_id
    return para


def _docx_line(document, entry: LineEntries) -> None:
    styles = document.styles
    heading, bullet, bullet2 = (styles[n].style_id for n in ("Heading 3", "List Bullet", "List Bullet 2"))
    _styled(document, heading, f"{entry.line.code} {entry.line.text}")
    for r in entry.reports:
        para = _styled(document, bullet)
        para.add_run(f"{r.institution} ({_order_label(r.order)}), {r.period}: ").bold = True
        para.add_run(f"{r.get_status_display()} ({_reviewed(r)}). {r.narrative}")
        for extra in entry_lines(r):
            _styled(document, bullet2, extra)
