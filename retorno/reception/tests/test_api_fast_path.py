"""The registration hot path: match tickets, one transaction per call, bounded queries."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AccessReview, AuditEntry
from retorno.identity.tickets import MAX_AGE_SECONDS, match_ticket_issue, match_ticket_valid
from retorno.linkage.models import ReviewPair
from retorno.reception.models import FamilyGroup, RepatriationEvent
from retorno.reception.services import MSG_PERSON_NOT_A_MATCH
from retorno.reception.tests.factories import make_desk, register
from retorno.reference.models import DocumentType
from retorno.testing.factories import api_client, make_point, make_state, make_user

pytestmark = pytest.mark.django_db

URL = "/api/reception/events"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def typed(**kw):
    """The desk's data for María Guadalupe Hernández López (the factories' default person)."""
    body = {
        "given_names": "MARIA GUADALUPE",
        "first_surname": "hernandez",
        "second_surname": "Lopez",
        "sex": "M",
        "birth_date": "1988-03-09",
        "birth_state": "MN",
        "documents": ["deportation_order"],
    }
    body.update(kw)
    return body


@pytest.fixture
def two_points(db):
    DocumentType.objects.get_or_create(code="deportation_order", defaults={"name": "Orden"})
    tij, tij_officer = make_desk("TIJ")
    mxl = make_point("MXL", state=make_state("BC", "Baja California"))
    mxl_officer = make_user(Role.RECEPTION_OFFICER, point=mxl)
    # María was received at Mexicali two months ago; she now arrives at Tijuana.
    earlier = register(mxl_officer, mxl, arrived_at=timezone.now() - timedelta(days=60))
    return tij_officer, mxl_officer, earlier


def test_ticket_is_valid_only_for_its_user_and_person(two_points):
    officer, other_officer, earlier = two_points
    ticket = match_ticket_issue(user_id=officer.pk, person_id=earlier.person_id)
    assert match_ticket_valid(ticket, user=officer, person_id=earlier.person_id)
    assert not match_ticket_valid(ticket, user=other_officer, person_id=earlier.person_id)
    assert not match_ticket_valid(ticket, user=officer, person_id=earlier.person_id + 1)
    assert not match_ticket_valid(ticket[:-2] + "xx", user=officer, person_id=earlier.person_id)
    assert not match_ticket_valid("", user=officer, person_id=earlier.person_id)


def test_ticket_expires(two_points, monkeypatch):
    officer, _other, earlier = two_points
    ticket = match_ticket_issue(user_id=officer.pk, person_id=earlier.person_id)
    later = signing.time.time() + MAX_AGE_SECONDS + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert not match_ticket_valid(ticket, user=officer, person_id=earlier.person_id)


def test_match_then_register_with_ticket_reaches_other_points_person(
    two_points, django_assert_max_num_queries
):
    officer, _other, earlier = two_points
    client = api_client(officer)
    r = post(client, "/api/identity/match", typed())
    assert r.status_code == 200, r.content
    [best] = [c for c in r.json() if c["person_id"] == earlier.person_id]
    assert best["match_ticket"]
    assert best["in_scope"] is False  # received at Mexicali, not yet a Tijuana person
    body = typed(existing_person_id=earlier.person_id, match_ticket=best["match_ticket"])
    refused = post(client, URL, body)
    assert refused.status_code == 400 and "access_reason" in refused.json()["errors"]
    body["access_reason"] = "La persona está presente en este punto: nueva llegada."
    # Token, person lock, duplicate check, event, audit (one INSERT), access review, follow-up
    # (+ savepoint, transaction).
    with django_assert_max_num_queries(15):
        r = post(client, URL, body)
    assert r.status_code == 201, r.content
    assert r.json()["person_id"] == earlier.person_id
    review = AccessReview.objects.get(person_id=earlier.person_id)
    assert review.reason == body["access_reason"] and review.reception_point_id == officer.reception_point_id
    assert review.entry.action == AuditEntry.Action.ACCESS and review.status == AccessReview.Status.PENDING


def test_someone_elses_ticket_does_not_open_an_unrelated_person(two_points):
    officer, other_officer, earlier = two_points
    # A ticket issued to the Mexicali officer, replayed by the Tijuana officer with other data.
    ticket = match_ticket_issue(user_id=other_officer.pk, person_id=earlier.person_id)
    body = typed(
        given_names="Pedro",
        first_surname="Ruiz",
        second_surname="Ochoa",
        sex="H",
        birth_date="1970-01-20",
        existing_person_id=earlier.person_id,
        match_ticket=ticket,
    )
    r = post(api_client(officer), URL, body)
    assert r.status_code == 400
    assert r.json()["errors"]["existing_person_id"] == [str(MSG_PERSON_NOT_A_MATCH)]
    assert RepatriationEvent.objects.filter(person_id=earlier.person_id).count() == 1


def test_without_ticket_the_server_still_checks_the_match(two_points):
    officer, _other, earlier = two_points
    body = typed(existing_person_id=earlier.person_id, access_reason="Se presenta hoy en Tijuana.")
    r = post(api_client(officer), URL, body)
    assert r.status_code == 201, r.content
    assert r.json()["person_id"] == earlier.person_id


def test_new_person_registration_is_a_bounded_number_of_queries(two_points, django_assert_max_num_queries):
    officer, _other, _earlier = two_points
    body = typed(given_names="Rosa", first_surname="Medina", birth_date="1991-07-01")
    client = api_client(officer)
    client.get("/api/reception/events", {"limit": 1})  # the token's last use is recorded once a minute
    # + the duplicate check of a new person (and on PostgreSQL its advisory lock).
    with django_assert_max_num_queries(12):
        r = post(client, URL, body)
    assert r.status_code == 201, r.content
    assert RepatriationEvent.objects.get(pk=r.json()["id"]).followups.count() == 4


def test_failed_call_leaves_no_half_done_family_group(two_points):
    officer, _other, _earlier = two_points
    first = post(api_client(officer), URL, typed(given_names="Rosa", first_surname="Medina"))
    assert first.status_code == 201
    groups = FamilyGroup.objects.count()
    # Joining Rosa's family creates the group first; the arrival itself is then refused.
    bad = typed(
        given_names="Luis", first_surname="Medina", birth_state="ZZ", family_with_event_id=first.json()["id"]
    )
    r = post(api_client(officer), URL, bad)
    assert r.status_code == 400
    assert FamilyGroup.objects.count() == groups
    assert RepatriationEvent.objects.get(pk=first.json()["id"]).family_group_id is None


def test_overruled_match_sends_the_pair_to_review(two_points):
    officer, _other, earlier = two_points
    r = post(api_client(officer), URL, typed(overruled_match=True))
    assert r.status_code == 201, r.content
    new_person = r.json()["person_id"]
    assert new_person != earlier.person_id
    pair = ReviewPair.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {new_person, earlier.person_id}


def test_revoked_token_stops_at_once(two_points):
    officer, _other, _earlier = two_points
    client = api_client(officer)
    assert post(client, "/api/identity/match", typed()).status_code == 200
    officer.api_tokens.update(revoked=True)
    assert post(client, "/api/identity/match", typed()).status_code == 401


def test_deactivated_user_stops_at_once(two_points):
    officer, _other, _earlier = two_points
    client = api_client(officer)
    officer.is_active = False
    officer.save()
    assert post(client, "/api/identity/match", typed()).status_code == 401


def test_travelling_with_family_opens_a_group_others_join(two_points):
    officer, _other, _earlier = two_points
    client = api_client(officer)
    mother = post(client, URL, typed(given_names="Rosa", first_surname="Medina", travelling_with_family=True))
    assert mother.status_code == 201, mother.content
    group = mother.json()["family_group_id"]
    assert group is not None
    son = typed(given_names="Emilio", first_surname="Medina", birth_date="2012-02-02")
    r = post(client, URL, {**son, "family_with_event_id": mother.json()["id"]})
    assert r.status_code == 201 and r.json()["family_group_id"] == group
