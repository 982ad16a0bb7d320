"""Idempotent writes: the same key or form gives the same answer and no second record; the same
new person registered at once from several desks is one person (never two silent records)."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reception.tests.factories import make_desk
from retorno.reference.models import DocumentType
from retorno.testing.factories import api_client

BODY = {
    "given_names": "Rosa",
    "first_surname": "Medina",
    "second_surname": "Luna",
    "sex": "M",
    "birth_date": "1991-07-01",
    "birth_state": "MN",
}


def _post(client, body, **headers):
    return client.post("/api/reception/events", body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_same_idempotency_key_same_answer_and_one_record():
    _point, officer = make_desk()
    client = api_client(officer)
    first = _post(client, BODY, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = _post(client, BODY, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first["Idempotency-Replayed"] == "false" and again["Idempotency-Replayed"] == "true"
    assert RepatriationEvent.objects.count() == 1
    other = _post(client, {**BODY, "given_names": "Ana"}, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"


@pytest.mark.django_db
def test_a_refused_request_does_not_burn_its_key():
    _point, officer = make_desk()
    client = api_client(officer)
    assert _post(client, {**BODY, "birth_state": "ZZ"}, HTTP_IDEMPOTENCY_KEY="k").status_code == 400
    assert _post(client, BODY, HTTP_IDEMPOTENCY_KEY="k").status_code == 201


@pytest.mark.django_db
def test_the_same_new_person_twice_is_refused_as_a_double_entry_with_the_first_one_named():
    _point, officer = make_desk()
    client = api_client(officer)
    first = _post(client, BODY)
    second = _post(client, BODY)
    assert second.status_code == 409 and second.json()["code"] == "duplicate_arrival"
    assert second.json()["event_id"] == first.json()["id"]
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_a_desk_form_submitted_twice_registers_once():
    point, officer = make_desk()
    DocumentType.objects.get_or_create(code="ine", defaults={"name": "INE"})
    c = Client()
    c.force_login(officer)
    token = c.get(reverse("reception:desk")).context["form"].initial["form_token"]
    form = {
        **BODY,
        "birth_date": "01/07/1991",
        "reception_point": point.pk,
        "arrived_at": "2026-11-30T10:00",
        "mode": "land",
        "form_token": token,
        "confirm_new": "1",
    }
    first = c.post(reverse("reception:desk"), form)
    second = c.post(reverse("reception:desk"), form)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert RepatriationEvent.objects.count() == 1


def _race(n: int, body_for):
    """n threads POST at once (each its own connection and client); returns their statuses."""
    _point, officer = make_desk()
    from retorno.accounts.models import ApiToken

    raw = ApiToken.issue(officer, "race", rate_per_minute=10_000)[1]
    barrier = threading.Barrier(n)
    statuses = []

    def one(i):
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)
            barrier.wait()
            statuses.append(_post(client, body_for(i)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="SQLite serialises writers; the race needs PostgreSQL"
)
def test_ten_desks_registering_the_same_new_person_at_once_make_one_person():
    statuses = _race(10, lambda i: BODY)
    assert sorted(statuses) == [201] + [409] * 9
    assert Person.objects.count() == 1 and RepatriationEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="SQLite serialises writers; the race needs PostgreSQL"
)
def test_concurrent_registrations_with_one_curp_answer_409_never_500():
    from datetime import date

    from retorno.reception.demo import demo_national_id

    curp = demo_national_id("Rosa", "Medina", "Luna", "M", date(1991, 7, 1), "MN")
    # Different names (so the name-key lock does not serialise them): only the CURP collides.
    statuses = _race(10, lambda i: {**BODY, "given_names": f"Rosa{uuid.uuid4().hex[:4]}", "curp": curp})
    assert 500 not in statuses and statuses.count(201) == 1
    assert set(statuses) <= {201, 400, 409}
    assert Person.objects.filter(curp=curp).count() == 1
