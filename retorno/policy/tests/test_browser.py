"""Real-browser flow: a caseworker files a progress report with a PDF, a national supervisor sees
it on the coverage page, reviews it and downloads the period's report."""

import os

import pytest

from retorno.accounts.models import Role
from retorno.policy.models import ProgressReport
from retorno.policy.tests.factories import load_catalog, make_caseworker
from retorno.testing.browser import chromium
from retorno.testing.factories import make_institution, make_user

PASSWORD = "pass-1234-word"


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_review_and_download_in_a_browser(live_server, tmp_path, settings):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian chromium not installed")
    settings.MEDIA_ROOT = tmp_path / "media"
    load_catalog()
    make_caseworker(make_institution("STPS-B", name="Servicio de Empleo de prueba"), username="gestor.b")
    make_user(Role.SUPERVISOR, username="super.b")
    evidence = tmp_path / "acta.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    base = live_server.url
    with chromium() as browser:
        page = browser.new_page(accept_downloads=True, locale="es-MX")
        _login(page, base, "gestor.b")
        page.goto(f"{base}/policy/lines/4.4.3/")
        page.click("text=Informar avance")
        page.fill("textarea[name=narrative]", "Ferias de empleo en Tijuana")
        page.fill("textarea[name=figures]", "Personas vinculadas = 120")
        page.set_input_files("input[name=evidence_files]", str(evidence))
        page.click("button.primary")
        page.wait_for_selector("text=Informe de avance registrado.")
        assert "acta.pdf" in page.content()
        page.click("text=Salir")

        _login(page, base, "super.b")
        page.goto(f"{base}/policy/coverage/?strategy=4.4")
        assert "1 de 8 líneas con informe" in page.content()
        page.click("a.badge:has-text('SNE'), a.badge:has-text('Servicio de Empleo de prueba')")
        page.fill("textarea[name=note]", "Correcto")
        page.click("text=Marcar como revisado")
        page.wait_for_selector("text=Informe marcado como revisado.")

        page.goto(f"{base}/policy/report/")
        page.fill("input[name=period]", str(ProgressReport.objects.get().period_start.year))
        page.click("button.primary")
        # The report is prepared in the background; its page offers the download when ready.
        page.wait_for_selector("text=Informe de avances (PDF o DOCX)")
        with page.expect_download() as info:
            page.click("a:has-text('Descargar')")
        path = info.value.path()
        with open(path, "rb") as fh:
            assert fh.read(5) == b"%PDF-"
    assert ProgressReport.objects.get().reviewed_at is not None
