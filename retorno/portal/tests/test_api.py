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
