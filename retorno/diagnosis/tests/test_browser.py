"""Real-browser check of the diagnosis form: htmx skip logic, keyboard-free clicking, save."""

import pytest

from retorno.accounts.models import Role
from retorno.diagnosis.models import Diagnosis
from retorno.diagnosis.tests.factories import make_questionnaire
from retorno.testing.factories import make_event, make_point, make_user


@pytest.fixture
def browser_page(browser):
    return browser.new_context(locale="es-MX").new_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_skip_logic_reveals_questions_and_the_diagnosis_is_saved(live_server, browser_page):
    make_questionnaire()
    point = make_point("TIJ")
    make_user(Role.RECEPTION_OFFICER, point=point, username="ofi", password="pass-1234-word")
    person = make_event(point=point).person
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "ofi")
    page.fill("input[name=password]", "pass-1234-word")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/diagnosis/person/{person.pk}/new/")

    assert not page.is_visible("#q-education_level")  # hidden until consent
    page.check("input[name=consent_given][value=true]")
    page.wait_for_selector("#q-education_level", state="visible")
    assert not page.is_visible("#q-trade_other")
    page.select_option("select[name=trade]", "other")
    page.wait_for_selector("#q-trade_other", state="visible")
    page.select_option("select[name=trade]", "construction")
    page.wait_for_selector("#q-trade_other", state="hidden")

    page.select_option("select[name=education_level]", "secondary")
    page.check("input[name=spanish_level][value=fluent]")
    page.check("input[name=english_level][value=basic]")
    page.fill("input[name=years_in_us]", "12")
    page.check("input[name=work_plan][value=job]")
    page.check("input[name=needs_medical_now][value=true]")
    page.check("input[name=housing_destination][value=family]")
    page.check("input[name=documents_held][value=none]")
    page.check("input[name=intention][value=stay_border]")
    page.wait_for_load_state("networkidle")  # let the last skip-logic request settle
    page.click("button[value=submit]")

    page.wait_for_selector("[data-testid=priority]")
    assert page.inner_text("[data-testid=priority]") == "Urgente"
    assert page.is_visible("[data-testid=flags] [data-code=no_documents]")
    assert "Empleo" in page.inner_text("[data-testid=needs] [data-code=employment]")
    assert Diagnosis.objects.get().answers["years_in_us"] == 12
