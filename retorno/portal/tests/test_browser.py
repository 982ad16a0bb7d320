"""Real browser at 390x844 (a phone): sign in with a code, see one's case, download the
constancia; axe finds no serious or critical violation on the pages."""

import re
from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from retorno.constancias.services import constancia_issue
from retorno.portal.models import OutboundMessage
from retorno.testing.factories import make_event, make_person, make_point, make_state, make_user


def sign_in(page, live_server, phone: str) -> None:
    """Ask for a code with the phone and type the code the (console) gateway sent."""
    page.goto(f"{live_server.url}/portal/")
    page.fill("[data-testid=by-contact] input[name=identifier]", phone)
    page.click("[data-testid=by-contact] button[type=submit]")
    page.fill(
        "input[name=code]",
        re.search(r"\b(\d{6})\b", OutboundMessage.objects.latest("created_at").body).group(1),
    )
    page.click("button[type=submit]")


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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_answer_the_follow_up_survey_from_a_message_link_on_a_phone(live_server, browser):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from retorno.followup.models import FollowUp, ReintegrationSurvey
    from retorno.portal.outreach import outreach_run

    call_command("load_reference", verbosity=0)
    person = make_person(
        given_names="Rosa", phone_mx="6641234567", contact_by_message=True, birth_date=date(1990, 5, 17)
    )
    event = make_event(person=person, point=make_point("TIJ"))
    FollowUp.objects.create(
        person=person, event=event, months=3, due_date=timezone.localdate() - timedelta(days=1)
    )
    outreach_run(now=timezone.localtime().replace(hour=12))
    link = re.search(r"(/portal/s/[\w-]+/)", OutboundMessage.objects.get().body).group(1)

    page = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}{link}")
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    form = page.locator("[data-testid=self-survey]")
    form.locator("fieldset", has_text="Situación de trabajo").get_by_label(
        "Trabajo informal u ocasional"
    ).check()
    form.locator("button[type=submit]").click()
    assert "Gracias" in page.inner_text("h1")
    survey = ReintegrationSurvey.objects.get()
    assert survey.self_reported and survey.answers["employment"] == "informal"
    page.goto(f"{live_server.url}{link}")
    assert page.locator("[data-testid=survey-closed]").get_attribute("data-why") == "answered"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_an_access_request_and_receive_the_record_on_a_phone(live_server, browser):
    from retorno.accounts.models import Role
    from retorno.rights.models import DataRightsRequest
    from retorno.rights.services import request_decide

    point = make_point("TIJ", state=make_state("BC", "Baja California"))
    person = make_person(given_names="Rosa", phone_mx="6641234567", birth_date=date(1990, 5, 17))
    make_event(person=person, point=point)
    page = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, live_server, "6641234567")
    page.click("[data-testid=rights-link]")
    assert serious(page) == []
    page.select_option("[data-testid=rights-form] select[name=kind]", "access")
    page.click("[data-testid=rights-form] button[type=submit]")
    assert "Recibimos su solicitud" in page.inner_text("body")
    request = DataRightsRequest.objects.get(person=person)
    request_decide(user=make_user(Role.SUPERVISOR, point=point), request=request, grant=True)
    page.reload()
    with page.expect_download() as download:
        page.click("[data-testid=record-pdf]")
    with open(download.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_a_grievance_on_a_phone(live_server, browser):
    from retorno.grievances.models import Grievance

    person = make_person(given_names="Rosa", phone_mx="6641234567", birth_date=date(1990, 5, 17))
    make_event(person=person, point=make_point("TIJ", state=make_state("BC", "Baja California")))
    page = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, live_server, "6641234567")
    page.click("[data-testid=grievance-link]")
    assert serious(page) == []
    form = page.locator("[data-testid=grievance-form]")
    form.locator("select[name=kind]").select_option("complaint")
    form.locator("select[name=category]").select_option("waiting")
    form.locator("textarea[name=text]").fill("Esperé seis horas sin agua.")
    form.locator("button[type=submit]").click()
    grievance = Grievance.objects.get()
    assert f"folio {grievance.code}" in page.inner_text("body") and grievance.person == person
    assert grievance.code in page.inner_text("[data-testid=my-grievances]")
