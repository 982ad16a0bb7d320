"""Real browser (Playwright + Debian chromium): the closed referral loop from the canalización page.

An officer records the person's consent and sends a referral; the institution's caseworker logs
in, accepts and completes it with an outcome; the officer sees the outcome on the person's page.
"""

import pytest

from retorno.accounts.models import Role
from retorno.directory.tests.factories import make_service
from retorno.referrals.models import Referral, Status
from retorno.testing.factories import (
    make_event,
    make_institution,
    make_person,
    make_point,
    make_state,
    make_user,
)

PASSWORD = "pass-1234-word"


def login(browser, live_server, username):
    page = browser.new_context(locale="es-MX").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_closed_loop_referral_in_a_real_browser(live_server, browser):
    point = make_point("TIJ", state=make_state("BC", "Baja California"))
    make_user(Role.RECEPTION_OFFICER, point=point, username="oficial")
    renapo = make_institution("RENAPO", name="Registro Nacional de Población")
    make_user(Role.CASEWORKER, institution=renapo, username="gestora")
    make_service(
        renapo,
        code="curp",
        name="Constancia de CURP",
        needs=["identity_documents"],
        min_age=18,
        shared_fields=["full_name", "birth_date", "destination_state"],
        response_days=2,
    )
    make_service(make_institution("SNE"), code="empleo", name="Bolsa de empleo", needs=["employment"])
    # The diagnosed profile: an adult who arrived with no identity document, going to Michoacán.
    person = make_person(given_names="Rosa María", first_surname="Vega", sex="M")
    make_event(person=person, point=point, documents=[], destination_state=make_state("MN", "Michoacán"))

    officer = login(browser, live_server, "oficial")
    officer.goto(f"{live_server.url}/referrals/person/{person.pk}/")
    row = officer.locator("tr[data-service=curp]")
    assert "necesita recuperación de documentos de identidad" in row.inner_text()
    assert "vive en" not in row.inner_text()  # the service has no state rule
    assert "falta el consentimiento" in row.inner_text()
    assert row.locator("button").count() == 0
    assert "Bolsa de empleo" in officer.locator("details").first.text_content()

    officer.select_option("select[name=institution]", "RENAPO")
    officer.select_option("select[name=purpose]", "referral")
    officer.select_option("select[name=method]", "signed")
    officer.click("text=Registrar consentimiento >> nth=-1")
    officer.wait_for_selector("text=Consentimiento registrado.")
    row = officer.locator("tr[data-service=curp]")
    row.locator("input[name=note]").fill("Llegó sin documentos")
    # No phone recorded: the page warns, and the officer confirms sending without contact data.
    assert "no tendrá cómo localizar" in officer.locator("[data-testid=contact-gaps]").inner_text()
    row.locator("input[name=without_contact]").check()
    row.locator("button", has_text="Enviar canalización").click()
    officer.wait_for_url("**/referrals/*/")
    assert officer.locator("#status").inner_text() == "Enviada"
    referral = Referral.objects.get(person=person)
    assert referral.shared_data["full_name"] == "Rosa María Vega López"

    caseworker = login(browser, live_server, "gestora")
    caseworker.goto(f"{live_server.url}/referrals/")
    caseworker.click(f"a[href='/referrals/{referral.pk}/']")
    # The click starts a navigation; content() read before it commits is empty (seen in CI).
    caseworker.wait_for_url(f"**/referrals/{referral.pk}/")
    caseworker.wait_for_load_state()
    assert "Rosa María Vega López" in caseworker.content()
    assert "Michoacán" in caseworker.content()
    caseworker.click("button:has-text('Aceptar')")
    caseworker.wait_for_selector("#status:has-text('Aceptada')")
    caseworker.fill("input[name=outcome]", "CURP impresa y entregada")
    caseworker.click("button:has-text('Concluir')")
    caseworker.wait_for_selector("#status:has-text('Concluida')")
    # The caseworker cannot open the person's own record.
    response = caseworker.goto(f"{live_server.url}/referrals/person/{person.pk}/")
    assert response.status == 403

    officer.goto(f"{live_server.url}/referrals/person/{person.pk}/")
    outcomes = officer.locator("#referrals td.outcome").all_inner_texts()
    assert outcomes == ["CURP impresa y entregada"]
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    assert [t.by_username for t in referral.transitions.all()] == ["oficial", "oficial", "gestora", "gestora"]
