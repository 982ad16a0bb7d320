"""Real browser (Debian chromium via Playwright): issue a constancia, follow its QR URL to the
public verification page (valid), revoke it as a supervisor, and see the page say revoked."""

import io

import pytest
from pypdf import PdfReader

from retorno.constancias.models import Constancia
from retorno.constancias.services import verification_url

from .factories import make_desk

PASSWORD = "pass-1234-word"


def login(context, base: str, username: str):
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_issue_verify_revoke_in_a_real_browser(live_server, browser, settings):
    settings.RETORNO_PUBLIC_URL = live_server.url
    _, officer, supervisor, event = make_desk()

    desk = login(browser.new_context(locale="es-MX"), live_server.url, officer.username)
    desk.goto(f"{live_server.url}/constancias/event/{event.pk}/")
    desk.click("#issue-button")
    desk.wait_for_selector("#current")
    folio = desk.get_attribute("#current", "data-folio")
    qr_url = desk.get_attribute("#verify-url", "href")
    constancia = Constancia.objects.get(folio=folio)
    assert qr_url == verification_url(constancia)
    assert qr_url.startswith(live_server.url + "/constancias/verify/")

    # The PDF behind the link carries the same URL (the QR payload) and the folio.
    pdf = desk.request.get(desk.locator("#pdf-link").evaluate("a => a.href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert folio in text and qr_url in text

    # Anyone (no session) can verify.
    public = browser.new_context(locale="es-MX").new_page()
    public.goto(qr_url)
    assert public.get_attribute("#status", "data-status") == "valid"
    assert public.inner_text("#folio") == folio
    assert "María" not in public.content()

    boss = login(browser.new_context(locale="es-MX"), live_server.url, supervisor.username)
    boss.goto(f"{live_server.url}/constancias/event/{event.pk}/")
    boss.fill("#id_reason", "Nombre capturado con error")
    boss.click("button.danger")
    boss.wait_for_selector(".badge.revoked")

    public.reload()
    assert public.get_attribute("#status", "data-status") == "revoked"
    assert "revocada" in public.inner_text("#verification")
