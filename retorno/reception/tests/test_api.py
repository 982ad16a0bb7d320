from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.identity.models import Person
from retorno.reception.models import ChildProtectionHandover, RepatriationEvent
from retorno.reception.services import MSG_CLOSE_NEEDS_HANDOVER
from retorno.reception.tests.factories import make_desk, register, register_minor
from retorno.testing.factories import api_client, make_user

pytestmark = pytest.mark.django_db


def payload(**kw):
    body = {
        "given_names": "Pedro",
        "first_surname": "González",
        "second_surname": "Pérez",
        "sex": "H",
        "birth_date": "1995-11-05",
        "birth_state": "MN",
        "documents": ["deportation_order"],
        "destination_state": "MN",
        "destination_municipality": "Morelia",
        "phone_mx": "4431234567",
    }
    body.update(kw)
    return body


@pytest.fixture
def desk(db):
    from retorno.testing.factories import make_state

    make_state("MN", "Michoacán")
    from retorno.reference.models import DocumentType

    DocumentType.objects.get_or_create(code="deportation_order", defaults={"name": "Orden"})
    return make_desk()


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_create_event_registers_new_person_at_officers_point(desk):
    point, officer = desk
    r = post(api_client(officer), "/api/reception/events", payload())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["reception_point"] == point.code and body["person_name"] == "Pedro González Pérez"
    assert body["documents"] == ["deportation_order"] and body["mode"] == "land"
    assert AuditEntry.objects.filter(person_id=body["person_id"], channel="api", action="create").count() == 2


def test_create_event_for_repeat_returnee_reuses_person(desk):
    point, officer = desk
    first = register(officer, point, arrived_at=timezone.now() - timedelta(days=60))
    r = post(
        api_client(officer),
        "/api/reception/events",
        payload(
            given_names="maria guadalupe",
            first_surname="HERNANDEZ",
            second_surname="lopez",
            sex="M",
            birth_date="1988-03-09",
            existing_person_id=first.person_id,
        ),
    )
    assert r.status_code == 201, r.content
    assert r.json()["person_id"] == first.person_id
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"curp": "HELJ850412HMNRPN09"}, 400, "curp"),
        ({"birth_date": (date.today() + timedelta(days=2)).isoformat()}, 400, "birth_date"),
        ({"given_names": "   "}, 400, "given_names"),
        ({"birth_state": "ZZ"}, 400, "birth_state"),
        ({"destination_state": "QQ"}, 400, "destination_state"),
        ({"given_names": "x" * 121}, 422, "given_names"),
        ({"notes": "n" * 2001}, 422, "notes"),
        ({"birth_date": "not-a-date"}, 422, "birth_date"),
        ({"documents": ["spaceship"]}, 400, "documents"),
        ({"reception_point": "NOPE"}, 400, "reception_point"),
        ({"arrived_at": (timezone.now() + timedelta(days=1)).isoformat()}, 400, "arrived_at"),
    ],
)
def test_create_event_rejects_bad_input_and_saves_nothing(desk, change, status, field):
    _, officer = desk
    r = post(api_client(officer), "/api/reception/events", payload(**change))
    assert r.status_code == status, r.content
    assert field in r.json()["errors"] and r.json()["detail"]
    assert not Person.objects.exists() and not RepatriationEvent.objects.exists()


def test_create_event_at_other_point_is_forbidden(desk):
    _, officer = desk
    from retorno.testing.factories import make_point

    make_point("MXL")
    r = post(api_client(officer), "/api/reception/events", payload(reception_point="MXL"))
    assert r.status_code == 403
    assert not Person.objects.exists()


def test_create_event_with_unrelated_existing_person_is_refused(desk):
    point, officer = desk
    _, other_officer = make_desk("MXL")
    theirs = register(officer, point)
    r = post(api_client(other_officer), "/api/reception/events", payload(existing_person_id=theirs.person_id))
    assert r.status_code == 400 and "existing_person_id" in r.json()["errors"]
    assert RepatriationEvent.objects.count() == 1


def test_family_member_joins_group_of_given_event(desk):
    point, officer = desk
    first = register(officer, point)
    r = post(api_client(officer), "/api/reception/events", payload(family_with_event_id=first.pk))
    assert r.status_code == 201
    first.refresh_from_db()
    assert first.family_group_id and r.json()["family_group_id"] == first.family_group_id


def test_list_and_detail_in_scope_and_audited(desk):
    point, officer = desk
    mine = register(officer, point)
    other_point, other_officer = make_desk("MXL")
    theirs = register(other_officer, other_point, given_names="Rosa", birth_date=date(1970, 1, 1))
    c = api_client(officer)
    r = c.get("/api/reception/events")
    assert r.status_code == 200 and [e["id"] for e in r.json()["items"]] == [mine.pk]
    assert c.get(f"/api/reception/events/{mine.pk}").status_code == 200
    assert c.get(f"/api/reception/events/{theirs.pk}").status_code == 404
    assert AuditEntry.objects.filter(action="view", object_id=str(mine.pk), channel="api").exists()
    r = c.get("/api/reception/events", {"status": "closed"})
    assert r.json()["count"] == 0
    assert c.get("/api/reception/events", {"status": "bogus"}).status_code == 422


def test_close_minor_requires_handover_then_succeeds(desk):
    point, officer = desk
    event = register_minor(officer, point)
    c = api_client(officer)
    r = c.post(f"/api/reception/events/{event.pk}/close")
    assert r.status_code == 409 and r.json()["detail"] == str(MSG_CLOSE_NEEDS_HANDOVER)
    r = post(c, f"/api/reception/events/{event.pk}/handover", {"received_by_name": ""})
    assert r.status_code == 400 and "received_by_name" in r.json()["errors"]
    r = post(
        c,
        f"/api/reception/events/{event.pk}/handover",
        {"received_by_name": "Lic. Treviño", "received_by_position": "Trabajo social"},
    )
    assert r.status_code == 201 and r.json()["agency"] == "DIF"
    r = c.post(f"/api/reception/events/{event.pk}/close")
    assert (
        r.status_code == 200 and r.json()["status"] == "closed" and r.json()["handover"]["received_by_name"]
    )


def test_close_and_handover_of_other_points_event_are_not_found(desk):
    point, officer = desk
    event = register_minor(officer, point)
    _, other_officer = make_desk("MXL")
    c = api_client(other_officer)
    assert c.post(f"/api/reception/events/{event.pk}/close").status_code == 404
    assert post(c, f"/api/reception/events/{event.pk}/handover", {"received_by_name": "X"}).status_code == 404
    assert not ChildProtectionHandover.objects.exists()


def test_analyst_gets_403_everywhere(desk):
    point, officer = desk
    event = register(officer, point)
    c = api_client(make_user(Role.ANALYST))
    assert post(c, "/api/reception/events", payload(reception_point=point.code)).status_code == 403
    assert c.get("/api/reception/events").status_code == 403
    assert c.get(f"/api/reception/events/{event.pk}").status_code == 403
    assert c.post(f"/api/reception/events/{event.pk}/close").status_code == 403
    assert post(c, f"/api/reception/events/{event.pk}/handover", {"received_by_name": "X"}).status_code == 403


def test_unauthenticated_gets_401(desk):
    point, officer = desk
    event = register(officer, point)
    c = Client()
    assert post(c, "/api/reception/events", payload()).status_code == 401
    assert c.get("/api/reception/events").status_code == 401
    assert c.get(f"/api/reception/events/{event.pk}").status_code == 401
    assert c.post(f"/api/reception/events/{event.pk}/close").status_code == 401
    assert post(c, f"/api/reception/events/{event.pk}/handover", {"received_by_name": "X"}).status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bad.get("/api/reception/events").status_code == 401


def test_ids_beyond_bigint_are_refused_cleanly(desk):
    _, officer = desk
    c = api_client(officer)
    huge = 10**30
    assert c.get("/api/reception/events", {"person_id": huge}).status_code == 422
    assert c.get(f"/api/reception/events/{huge}").status_code == 404
    assert post(c, "/api/reception/events", payload(existing_person_id=huge)).status_code == 422
    assert post(c, "/api/reception/events", payload(family_with_event_id=huge)).status_code == 422
    assert not RepatriationEvent.objects.exists()
