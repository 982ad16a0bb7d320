"""The printed constancia: one Letter page, bilingual labels, QR code to the verification page.

Labels are printed in Spanish with English in small type under each (many returnees read English
better), whatever the officer's interface language: the paper is for the returnee and for
whoever checks it later.
"""

import io
from functools import cache
from pathlib import Path

import segno
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from retorno.constancias.models import Constancia
from retorno.reference.country import country_profile

# QR: error correction M survives a crease or a stamp; scale in pixels per module of the PNG.
QR_ERROR = "m"
QR_SCALE = 8
QR_SIZE = 42 * mm
ACCENT = colors.HexColor("#6d1a36")
MUTED = colors.HexColor("#5f6b73")

# Names are printed in an embedded Unicode font: the PDF standard fonts (Helvetica...) only
# cover Latin-1, so a name such as "Nguyễn" or "Łukasz" came out wrong. DejaVu Sans, shipped in
# constancias/fonts/ so the PDF looks the same on every machine (see fonts/README).
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "RetornoSans"
FONT_BOLD = "RetornoSans-Bold"
FONT_ITALIC = "RetornoSans-Oblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}


@cache
def register_fonts() -> None:
    """Register the embedded fonts with ReportLab (once per process)."""
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def qr_code(url: str) -> segno.QRCode:
    """The QR code printed on the constancia (border 0: the page margin is the quiet zone)."""
    return segno.make(url, error=QR_ERROR, micro=False)


def _qr_png(url: str) -> bytes:
    buf = io.BytesIO()
    qr_code(url).save(buf, kind="png", scale=QR_SCALE, border=0)
    return buf.getvalue()


def _label(c: canvas.Canvas, x: float, y: float, es: str, en: str) -> None:
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 10)
    c.drawString(x, y, es)
    c.setFillColor(MUTED)
    c.setFont(FONT_ITALIC, 7)
    c.drawString(x, y - 9, en)


def _value(c: canvas.Canvas, x: float, y: float, text: str, size: int = 12) -> None:
    c.setFillColor(colors.black)
    c.setFont(FONT, size)
    c.drawString(x, y, text)


def constancia_pdf(constancia: Constancia, url: str) -> bytes:
    """Render `constancia` as a one-page PDF whose QR code encodes `url`."""
    register_fonts()
    profile = country_profile()
    point = constancia.reception_point
    arrived = timezone.localtime(constancia.arrived_at)
    issued = timezone.localtime(constancia.issued_at)
    width, height = letter
    margin = 20 * mm

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, pageCompression=1)
    c.setTitle(f"Constancia de recepción {constancia.folio}")
    c.setAuthor(str(profile.get("migration_agency", "")))
    c.setSubject("Constancia de recepción / Proof of reception")

    # Header band: government and agency from the country profile.
    c.setFillColor(ACCENT)
    c.rect(0, height - 28 * mm, width, 28 * mm, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont(FONT_BOLD, 14)
    government = profile.get("government_name") or f"Gobierno de {profile.get('name', '')}"
    c.drawString(margin, height - 12 * mm, government)
    c.setFont(FONT, 11)
    agency = profile.get("migration_agency_name") or profile.get("migration_agency", "")
    c.drawString(margin, height - 18 * mm, agency)
    c.setFont(FONT, 9)
    c.drawString(margin, height - 23 * mm, f"{point.name} · {point.city}")

    # Title and folio.
    y = height - 45 * mm
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 20)
    c.drawString(margin, y, "Constancia de recepción")
    c.setFillColor(MUTED)
    c.setFont(FONT_ITALIC, 10)
    c.drawString(margin, y - 12, "Proof of reception")
    c.setStrokeColor(ACCENT)
    c.setLineWidth(1.2)
    box_w = 62 * mm
    c.rect(width - margin - box_w, y - 16, box_w, 30, stroke=1, fill=0)
    c.setFillColor(MUTED)
    c.setFont(FONT, 7)
    c.drawString(width - margin - box_w + 6, y + 5, "Folio / Serial number")
    c.setFillColor(colors.black)
    c.setFont(FONT_BOLD, 13)
    c.drawString(width - margin - box_w + 6, y - 9, constancia.folio)

    # Fields.
    # The document is bilingual whatever the page language; the pack words its own fields.
    words = profile.get("constancia") or {}
    id_label = words.get("national_id") or {"es": "CURP", "en": "Population registry key (CURP)"}
    place_label = words.get("place") or {"es": "Ciudad y entidad", "en": "City and state"}
    fields = [
        ("Nombre", "Name", constancia.holder_name, 14),
        (
            id_label["es"],
            id_label["en"],
            constancia.holder_curp or words.get("missing", "No registrada / Not recorded"),
            12,
        ),
        ("Fecha de recepción", "Date of reception", arrived.strftime("%d/%m/%Y %H:%M"), 12),
        ("Punto de recepción", "Reception point", f"{point.name} ({point.code})", 12),
        (place_label["es"], place_label["en"], f"{point.city}, {point.state.name}", 12),
    ]
    y = height - 72 * mm
    for es, en, value, size in fields:
        _label(c, margin, y, es, en)
        _value(c, margin + 48 * mm, y - 3, value, size)
        c.setStrokeColor(colors.HexColor("#d9dee2"))
        c.setLineWidth(0.5)
        c.line(margin, y - 14, width - margin, y - 14)
        y -= 15 * mm

    # Statement.
    text = c.beginText(margin, y - 2 * mm)
    text.setFont(FONT, 10.5)
    text.setFillColor(colors.black)
    # The nationality in the statement is the pack's (Mexico's wording by default).
    nationality = words.get("nationality") or {"es": "persona mexicana repatriada", "en": "a repatriated Mexican national"}
    for line in (
        "Se hace constar que la persona arriba mencionada fue recibida en el punto de recepción",
        f"indicado, en la fecha señalada, como {nationality['es']}.",
    ):
        text.textLine(line)
    text.setFont(FONT_ITALIC, 8)
    text.setFillColor(MUTED)
    text.textLine("")
    text.textLine("This certifies that the person named above was received at the reception point and on the")
    text.textLine(f"date shown, as {nationality['en']}.")
    c.drawText(text)

    # QR code with the folio under it, and what it is for.
    qr_x = width - margin - QR_SIZE
    qr_y = 38 * mm
    c.drawImage(ImageReader(io.BytesIO(_qr_png(url))), qr_x, qr_y, QR_SIZE, QR_SIZE)
    c.setFont(FONT_BOLD, 10)
    c.setFillColor(colors.black)
    c.drawCentredString(qr_x + QR_SIZE / 2, qr_y - 12, constancia.folio)
    verify = c.beginText(margin, qr_y + QR_SIZE - 10)
    verify.setFont(FONT_BOLD, 10)
    verify.setFillColor(colors.black)
    verify.textLine("Verificación")
    verify.setFont(FONT, 9)
    verify.textLine("Escanee el código QR para verificar que esta constancia es auténtica")
    verify.textLine("y está vigente, o abra la dirección:")
    verify.setFont(FONT_ITALIC, 7.5)
    verify.setFillColor(MUTED)
    verify.textLine("Scan the QR code to verify that this proof is authentic and valid, or open:")
    verify.setFont("Courier", 7.5)
    verify.setFillColor(colors.black)
    verify.textLine("")
    verify.textLine(url)
    c.drawText(verify)

    # Footer.
    c.setStrokeColor(ACCENT)
    c.line(margin, 22 * mm, width - margin, 22 * mm)
    c.setFont(FONT, 7.5)
    c.setFillColor(MUTED)
    c.drawString(
        margin,
        17 * mm,
        f"Emitida / Issued: {issued:%d/%m/%Y %H:%M} · Copia / Copy {max(constancia.print_count, 1)}",
    )
    c.drawRightString(
        width - margin,
        17 * mm,
        "Documento gratuito / Free of charge",
    )
    c.showPage()
    c.save()
    return buf.getvalue()
