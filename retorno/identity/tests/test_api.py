from datetime import date

import pytest
from django.test import Client

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.reception.tests.factories import make_desk, register
from retorno.testing.factories import api_client, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_points():
    tij, tij_officer = make_desk("TIJ")
    mxl, mxl_officer = make_desk("MXL")
    mine = register(tij_officer, tij, phone_mx="6641234567")
    theirs = register(
        mxl_officer, mxl, given_names="Rosa", first_surname="Ortega", birth_date=date(1970, 1, 1)
    )
    return tij_officer, mine.person, theirs.person


def test_person_list_is_scoped_searchable_and_audited(two_points):
    officer, mine, theirs = two_points
    c = api_client(officer)
    r = c.get("/api/identity/persons")
    assert r.status_code == 200 and [p["id"] for p in r.json()["items"]] == [mine.pk]
    assert c.get("/api/identity/persons", {"q": "ortega"}).json()["count"] == 0
    assert c.get("/api/identity/persons", {"q": "HERNÁNDEZ guadalupe"}).json()["count"] == 1
    assert c.get("/api/identity/persons", {"q": "x" * 121}).status_code == 422
    assert c.get("/api/identity/persons", {"birth_date": "31/31/1990"}).status_code == 422
    assert AuditEntry.objects.filter(action="search", user=officer, channel="api").exists()


def test_person_detail_in_scope_only(two_points):
    officer, mine, theirs = two_points
    c = api_client(officer)
    r = c.get(f"/api/identity/persons/{mine.pk}")
    assert r.status_code == 200
    assert r.json()["phone_mx"] == "6641234567" and len(r.json()["events"]) == 1
    assert AuditEntry.objects.filter(action="view", person_id=mine.pk, channel="api").exists()
    assert c.get(f"/api/identity/persons/{theirs.pk}").status_code == 404
    assert c.get("/api/identity/persons/999999").status_code == 404


def test_update_contact(two_points):
    officer, mine, theirs = two_points
    c = api_client(officer)
    url = f"/api/identity/persons/{mine.pk}/contact"
    r = c.patch(
        url, {"phone_mx": "664 000 1111", "phone_us": "+1 619 555 0100"}, content_type="application/json"
    )
    assert r.status_code == 200
    mine.refresh_from_db()
    assert mine.phone_us == "+1 619 555 0100"
    r = c.patch(url, {"phone_mx": "abc", "phone_us": ""}, content_type="application/json")
    assert r.status_code == 400 and "phone_mx" in r.json()["errors"]
    r = c.patch(url, {"phone_mx": "1" * 21}, content_type="application/json")
    assert r.status_code == 422
    r = c.patch(
        f"/api/identity/persons/{theirs.pk}/contact",
        {"phone_mx": "6640001111"},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_match_returns_minimal_candidates_across_points(two_points):
    officer, mine, theirs = two_points
    c = api_client(officer)
    r = c.post(
        "/api/identity/match",
        {"given_names": "rosa", "first_surname": "ORTEGA", "birth_date": "1970-01-01", "sex": "M"},
        content_type="application/json",
    )
    assert r.status_code == 200
    (cand,) = r.json()
    assert cand["person_id"] == theirs.pk and cand["arrivals"] == 1 and cand["last_point"]
    assert "phone_mx" not in cand and "curp" not in cand
    assert AuditEntry.objects.filter(action="search", user=officer, detail__candidates=[theirs.pk]).exists()
    r = c.post("/api/identity/match", {"given_names": "x" * 200}, content_type="application/json")
    assert r.status_code == 422
    r = c.post("/api/identity/match", {"birth_date": "tomorrow"}, content_type="application/json")
    assert r.status_code == 422


def test_roles_and_authentication(two_points):
    officer, mine, _ = two_points
    analyst = api_client(make_user(Role.ANALYST))
    caseworker = api_client(make_user(Role.CASEWORKER))
    for c in (analyst, caseworker):
        assert c.get("/api/identity/persons").status_code == 403
        assert c.get(f"/api/identity/persons/{mine.pk}").status_code == 403
        assert (
            c.post("/api/identity/match", {"given_names": "a"}, content_type="application/json").status_code
            == 403
        )
        assert (
            c.patch(
                f"/api/identity/persons/{mine.pk}/contact",
                {"phone_mx": "6640001111"},
                content_type="application/json",
            ).status_code
            == 403
        )
    anon = Client()
    assert anon.get("/api/identity/persons").status_code == 401
    assert anon.get(f"/api/identity/persons/{mine.pk}").status_code == 401
    assert anon.post("/api/identity/match", {}, content_type="application/json").status_code == 401
    contact = anon.patch(
        f"/api/identity/persons/{mine.pk}/contact", {"phone_mx": "1"}, content_type="application/json"
    )
    assert contact.status_code == 401
