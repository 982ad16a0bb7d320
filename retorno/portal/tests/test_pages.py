"""The portal's pages: sign in, one's own case only, audited as the person, short sessions."""

import re
import time
from datetime import date

import pytest

from retorno.audit.models import AuditEntry
from retorno.constancias.services import constancia_issue
from retorno.portal.models import OutboundMessage
from retorno.portal.session import KEY
from retorno.testing.factories import make_event, make_person, make_point, make_state, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa():
    point = make_point("TIJ", state=make_state("BC", "Baja California"))
    person = make_person(given_names="Rosa", phone_mx="6641234567", birth_date=date(1990, 5, 17))
    event = make_event(person=person, point=point, destination_state=make_state("MN", "Michoacán"))
    constancia_issue(user=make_user(point=point), event=event)
    return person


def sign_in(client, phone="6641234567"):
    page = client.post("/portal/", {"by": "contact", "identifier": phone})
    assert page.status_code == 302 and page["Location"] == "/portal/code/"
    message = OutboundMessage.objects.order_by("-created_at").first()
    code = re.search(r"\b(\d{6})\b", message.body).group(1) if message else "000000"
    return client.post("/portal/code/", {"code": code})


def test_sign_in_shows_only_ones_own_case_and_audits_it_as_the_person(client, rosa):
    other = make_person(given_names="Otra", phone_mx="6640000001")
    make_event(person=other, point=make_point("MXL"))
    assert client.get("/portal/home/")["Location"] == "/portal/"
    assert sign_in(client)["Location"] == "/portal/home/"
    home = client.get("/portal/home/").content.decode()
    assert "Hola, Rosa" in home and "Otra" not in home and "Descargar mi constancia" in home
    pdf = client.get("/portal/constancia.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    actions = set(AuditEntry.objects.filter(username=f"persona:{rosa.pk}").values_list("action", flat=True))
    assert {"login", "view", "print"} <= actions


def test_an_unknown_number_gets_the_same_pages_and_cannot_sign_in(client, rosa):
    first = client.post("/portal/", {"by": "contact", "identifier": "6649999999"})
    assert first.status_code == 302 and first["Location"] == "/portal/code/"
    code_page = client.get("/portal/code/").content.decode()
    assert "Si los datos corresponden a un registro" in code_page
    wrong = client.post("/portal/code/", {"code": "123456"})
    assert wrong.status_code == 200 and "El código no es correcto" in wrong.content.decode()
    assert client.get("/portal/home/").status_code == 302


def test_the_session_is_short_and_sign_out_ends_it(client, rosa, settings):
    sign_in(client)
    session = client.session
    state = session[KEY]
    session[KEY] = {**state, "seen": time.time() - settings.RETORNO_PORTAL_IDLE_MINUTES * 60 - 1}
    session.save()
    assert client.get("/portal/home/")["Location"] == "/portal/"
    sign_in(client)
    client.post("/portal/sign-out/")
    assert client.get("/portal/home/")["Location"] == "/portal/"


def test_contact_details_are_updated_by_the_person(client, rosa):
    sign_in(client)
    client.post("/portal/contact/", {"phone_mx": "664 555 1234", "phone_us": "", "email": "rosa@example.org"})
    rosa.refresh_from_db()
    assert (rosa.phone_mx, rosa.email) == ("664 555 1234", "rosa@example.org")
    bad = client.post("/portal/contact/", {"phone_mx": "abc", "phone_us": "", "email": ""}, follow=True)
    assert "Teléfono no válido" in bad.content.decode()


def test_services_where_one_settles_leave_out_those_for_other_ages(client, rosa):
    from retorno.directory.tests.factories import make_service
    from retorno.testing.factories import make_institution

    dif = make_institution("DIF", name="DIF")
    make_service(dif, code="albergue-menores", name="Albergue para niñas y niños", max_age=17)
    make_service(dif, code="orientacion", name="Orientación jurídica")
    sign_in(client)
    home = client.get("/portal/home/").content.decode()
    assert "Orientación jurídica" in home and "Albergue para niñas y niños" not in home
