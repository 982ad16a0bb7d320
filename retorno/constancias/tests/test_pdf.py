import io

import pytest
import segno
from pypdf import PdfReader

from retorno.constancias.pdf import QR_SCALE
from retorno.constancias.services import constancia_issue, constancia_print, verification_url
from retorno.constancias.tests.factories import make_desk

pytestmark = pytest.mark.django_db


def _qr_matrix_from_image(image) -> list[list[bool]]:
    """Read the module grid back from the embedded QR image (dark pixel at each module centre)."""
    gray = image.convert("L")
    modules = gray.width // QR_SCALE
    return [
        [
            gray.getpixel((x * QR_SCALE + QR_SCALE // 2, y * QR_SCALE + QR_SCALE // 2)) < 128
            for x in range(modules)
        ]
        for y in range(modules)
    ]


def test_pdf_is_one_page_with_name_folio_curp_and_bilingual_labels():
    _, officer, _, event = make_desk()
    event.person.curp = "GAHM900517MMNRRR09"
    event.person.save()
    c = constancia_issue(user=officer, event=event)
    content = constancia_print(user=officer, constancia=c)
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "Constancia de recepción",
        "Proof of reception",
        "María Guadalupe García Hernández",
        c.folio,
        "GAHM900517MMNRRR09",
        "Punto TIJ",
        "Date of reception",
        verification_url(c),
    ):
        assert expected in text, expected


def test_pdf_qr_code_encodes_the_verification_url():
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    reader = PdfReader(io.BytesIO(constancia_print(user=officer, constancia=c)))
    images = list(reader.pages[0].images)
    assert len(images) == 1
    printed = _qr_matrix_from_image(images[0].image)
    expected = [
        [bool(v) for v in row] for row in segno.make(verification_url(c), error="m", micro=False).matrix
    ]
    assert printed == expected
    # And a QR for another token would not match: the comparison can fail.
    other = [[bool(v) for v in row] for row in segno.make(verification_url(c) + "x", error="m").matrix]
    assert printed != other


def test_pdf_without_curp_says_not_recorded():
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    text = PdfReader(io.BytesIO(constancia_print(user=officer, constancia=c))).pages[0].extract_text()
    assert "No registrada / Not recorded" in text


def test_pdf_prints_names_beyond_latin_1_as_typed():
    """US-born and indigenous returnees' names carry letters the PDF standard fonts lack."""
    _, officer, _, event = make_desk()
    event.person.given_names = "Thanh Łucja"
    event.person.first_surname = "Nguyễn"
    event.person.second_surname = "Xochitl Ꞌo"  # saltillo, used in several indigenous languages
    event.person.save()
    c = constancia_issue(user=officer, event=event)
    reader = PdfReader(io.BytesIO(constancia_print(user=officer, constancia=c)))
    text = reader.pages[0].extract_text()
    assert "Thanh Łucja Nguyễn Xochitl Ꞌo" in text
    fonts = {
        str(font["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert any("DejaVuSans" in name for name in fonts), fonts  # embedded, not a standard font
