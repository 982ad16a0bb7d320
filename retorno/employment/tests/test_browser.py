"""Real browser (Playwright + Debian chromium): the job bank's caseworker imports vacancies as
JSON-LD, finds the returnee's matches with their reasons, puts her forward and records the hire."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from retorno.employment.models import Application
from retorno.employment.tests.factories import make_job_bank, make_occupation, make_seeker
from retorno.testing.factories import make_point, make_state

PASSWORD = "pass-1234-word"


def postings() -> str:
    today = timezone.localdate()

    def one(n, title, english, city):
        return {
            "@type": "JobPosting",
            "identifier": f"feed-{n}",
            "title": title,
            "datePosted": today.isoformat(),
            "validThrough": (today + timedelta(days=30)).isoformat(),
            "occupationalCategory": "5111",
            "hiringOrganization": {"@type": "Organization", "name": "Hoteles del Norte"},
            "jobLocation": {"@type": "Place", "address": {"addressLocality": city, "addressRegion": "BC"}},
            "skills": "cocina",
            "retorno:englishLevel": english,
        }

    return json.dumps(
        [one(1, "Cocinero de línea", "basic", "Tijuana"), one(2, "Chef bilingüe", "fluent", "Tijuana")]
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_match_and_hire_in_a_real_browser(live_server, browser, tmp_path):
    bank, caseworker = make_job_bank()
    caseworker.set_password(PASSWORD)
    caseworker.save()
    make_occupation("5111", "hospitality", "5120", "Cocineros")
    person, _ = make_seeker(
        bank, point=make_point("TIJ", state=make_state("BC", "Baja California")), given_names="Rosa", sex="M"
    )
    feed = tmp_path / "vacantes.jsonld"
    feed.write_text(postings(), encoding="utf-8")

    page = browser.new_context(locale="es-MX").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", caseworker.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto(f"{live_server.url}/employment/")
    page.click("#import summary")
    page.set_input_files("[data-testid=import-form] input[type=file]", str(feed))
    page.click("[data-testid=import-form] button[type=submit]")
    assert "2 vacantes nuevas, 0 actualizadas, 0 errores" in page.inner_text("body")
    assert "Chef bilingüe" in page.inner_text("[data-testid=vacancies]")

    page.goto(f"{live_server.url}/employment/person/{person.pk}/")
    matches = page.locator("[data-testid=matches]")
    assert "Cocinero de línea" in matches.inner_text() and "Chef bilingüe" not in matches.inner_text()
    assert "Misma ocupación" in matches.inner_text()
    page.click("[data-testid=not-fitting] summary")
    assert "Pide inglés Fluido; la persona: Básico" in page.inner_text("[data-testid=not-fitting]")
    matches.locator("tr", has_text="Cocinero de línea").locator("button").click()
    assert "Postulación enviada al empleador." in page.inner_text("body")
    row = page.locator("[data-testid=applications] tr[data-application]")
    assert "Enviada" in row.inner_text()

    row.locator("select[name=to_status]").select_option("hired")
    row.locator("input[name=answer]").fill("Contratada; empieza el lunes.")
    row.locator("button[type=submit]").click()
    assert "Postulación actualizada." in page.inner_text("body")
    assert "Contratada" in page.inner_text("[data-testid=applications]")
    application = Application.objects.get(person=person)
    assert (application.status, application.employer_answer) == ("hired", "Contratada; empieza el lunes.")
