"""/api/portal/: sign in with the code for a portal token, then one's own case only."""

import re
from datetime import date

import pytest

from retorno.accounts.models import Role
from retorno.constancias.services import constancia_issue
from retorno.portal.models import OutboundMessage
from retorno.testing.factories import make_event, make_person, make_point, make_token, make_user

pytestmark = pytest.mark.django_db


def test_the_mobile_flow(client):
    point = make_point("TIJ")
    person = make_person(given_names="Rosa", phone_mx="6641234567", birth_date=date(1990, 5, 17))
    event = make_event(person=person, point=point)
    constancia_issue(user=make_user(point=point), event=event)
    started = client.post(
        "/api/portal/sign-in", {"identifier": "6641234567"}, content_type="application/json"
    )
    unknown = client.post(
        "/api/portal/sign-in", {"identifier": "6640000000"}, content_type="application/json"
    )
    assert (
        started.status_code == unknown.status_code == 202
        and started.json()["detail"] == unknown.json()["detail"]
    )
    code = re.search(r"\b(\d{6})\b", OutboundMessage.objects.get().body).group(1)
    wrong = client.post(
        "/api/portal/sign-in/verify",
        {"challenge_id": started.json()["challenge_id"], "code": "000000" if code != "000000" else "111111"},
        content_type="application/json",
    )
    assert wrong.status_code == 409 and "no es correcto" in wrong.json()["detail"]
    token = client.post(
        "/api/portal/sign-in/verify",
        {"challenge_id": started.json()["challenge_id"], "code": code},
        content_type="application/json",
    ).json()["token"]
    me = client.get("/api/portal/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["given_names"] == "Rosa" and me.json()["constancia_folio"]
    pdf = client.get("/api/portal/constancia", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert pdf.content.startswith(b"%PDF")
    put = client.put(
        "/api/portal/contact",
        {"phone_mx": "abc"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert put.status_code == 400
    assert client.get("/api/portal/me", HTTP_AUTHORIZATION=f"Bearer {token}x").status_code == 401
    staff = make_token(make_user(Role.SUPERVISOR, point=point))
    assert (
        client.get("/api/portal/me", HTTP_AUTHORIZATION=f"Bearer {staff}").status_code == 401
    )  # a staff token is not a person's


def test_rights_and_grievances_through_the_api(client):
    from retorno.rights.services import request_decide

    point = make_point("TIJ")
    person = make_person(given_names="Rosa", phone_mx="6641234567", birth_date=date(1990, 5, 17))
    make_event(person=person, point=point)
    started = client.post(
        "/api/portal/sign-in", {"identifier": "6641234567"}, content_type="application/json"
    ).json()
    code = re.search(r"\b(\d{6})\b", OutboundMessage.objects.get().body).group(1)
    token = client.post(
        "/api/portal/sign-in/verify",
        {"challenge_id": started["challenge_id"], "code": code},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    filed = client.post("/api/portal/rights", {"kind": "access"}, content_type="application/json", **auth)
    assert filed.status_code == 201 and not filed.json()["record_ready"]
    bad = client.post("/api/portal/rights", {"kind": "everything"}, content_type="application/json", **auth)
    assert bad.status_code == 400
    from retorno.rights.models import DataRightsRequest

    request_decide(
        user=make_user(Role.SUPERVISOR, point=point), request=DataRightsRequest.objects.get(), grant=True
    )
    record = client.get(f"/api/portal/rights/{filed.json()['id']}/record", **auth)
    assert record.status_code == 200 and record.json()["person"]["given_names"] == "Rosa"
    grievance = client.post(
        "/api/portal/grievances",
        {"kind": "complaint", "category": "waiting", "text": "Esperé seis horas."},
        content_type="application/json",
        **auth,
    )
    assert (
        grievance.status_code == 201
        and client.get("/api/portal/grievances", **auth).json()[0]["code"] == grievance.json()["code"]
    )


def test_a_guardian_sees_the_minors_in_their_care(client):
    from retorno.portal.selectors import minors_in_care

    point = make_point("TIJ")
    mother = make_person(given_names="Lucía", sex="M", phone_mx="6641234567", birth_date=date(1986, 4, 4))
    mother_event = make_event(person=mother, point=point)
    today = date.today()
    child = make_person(given_names="Sofía", birth_date=today.replace(year=today.year - 10))
    make_event(person=child, point=point, accompanied_by=mother_event, accompanied_relationship="mother")
    nephew = make_person(given_names="Iván", birth_date=today.replace(year=today.year - 12))
    make_event(person=nephew, point=point, accompanied_by=mother_event, accompanied_relationship="aunt_uncle")
    assert minors_in_care(mother) == [child]  # an aunt is not a guardian
