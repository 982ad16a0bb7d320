"""Real browser at 390x844 (a phone): sign in with a code, see one's case, download the
constancia; axe finds no serious or critical violation on the pages."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from retorno.constancias.services import constancia_issue
from retorno.portal.models import OutboundMessage
from retorno.testing.factories import make_event, make_person, make_point, make_state, make_user


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_and_download_the_constancia_on_a_phone(live_server, browser):
    point = make_point("TIJ", state=make_state("BC", "Baja California"))
    person = make_person(given_names="Rosa", phone_mx="6641234567", birth_date=date(1990, 5, 17))
    event = make_event(person=person, point=point, destination_state=make_state("MN", "Michoacán"))
    constancia = constancia_issue(user=make_user(point=point), event=event)

    page = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/portal/")
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.fill("[data-testid=by-contact] input[name=identifier]", "664 123 4567")
    page.click("[data-testid=by-contact] button[type=submit]")
    assert "Si los datos corresponden a un registro" in page.inner_text("[data-testid=code-sent]")
    code = re.search(r"\b(\d{6})\b", OutboundMessage.objects.get().body).group(1)
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    assert "Hola, Rosa" in page.inner_text("h1")
    assert serious(page) == []
    with page.expect_download() as download:
        page.click("[data-testid=constancia-download]")
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
    assert constancia.folio in page.inner_text("#constancia")
