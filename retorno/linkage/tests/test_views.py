import pytest
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.identity.models import Person
from retorno.linkage.models import PersonMerge, ReviewPair
from retorno.linkage.tests.factories import make_duplicate_pair, make_national_supervisor
from retorno.testing.factories import make_token, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_client(client):
    user = make_national_supervisor()
    client.force_login(user)
    client.user = user
    return client


def test_queue_lists_pending_pairs_and_is_audited(supervisor_client):
    pair = make_duplicate_pair()
    resp = supervisor_client.get(reverse("linkage:queue"))
    assert resp.status_code == 200
    assert pair.person_a.full_name in resp.content.decode()
    entry = AuditEntry.objects.get(action="search", object_type="linkage.reviewpair")
    # The list read names both persons of the pair (who saw whom, for the right of access).
    assert set(entry.persons.values_list("person_id", flat=True)) == {pair.person_a_id, pair.person_b_id}


@pytest.mark.parametrize("role", [Role.RECEPTION_OFFICER, Role.ANALYST, Role.CASEWORKER])
def test_queue_is_forbidden_to_other_roles(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("linkage:queue")).status_code == 403
    assert client.post(reverse("linkage:decide"), {"pair": [1], "decision": "same"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    resp = client.get(reverse("linkage:queue"))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_side_by_side_page_shows_both_records_and_audits_both_persons(supervisor_client):
    pair = make_duplicate_pair()
    resp = supervisor_client.get(reverse("linkage:pair", args=[pair.pk]))
    body = resp.content.decode()
    assert resp.status_code == 200 and "María Guadalupe" in body and "Lupe" in body
    persons = set(
        AuditEntry.objects.filter(action="view", object_type="linkage.reviewpair").values_list(
            "person_id", flat=True
        )
    )
    assert {pair.person_a_id, pair.person_b_id} <= persons


def test_unknown_pair_is_404(supervisor_client):
    assert supervisor_client.get(reverse("linkage:pair", args=[999999])).status_code == 404


def test_bulk_same_from_the_page_merges_and_unmerge_page_restores(supervisor_client):
    p1, p2 = make_duplicate_pair(), make_duplicate_pair()
    resp = supervisor_client.post(reverse("linkage:decide"), {"pair": [p1.pk, p2.pk], "decision": "same"})
    assert resp.status_code == 302
    assert ReviewPair.objects.filter(status="same").count() == 2
    merge = PersonMerge.objects.get(merged=p1.person_b)
    resp = supervisor_client.post(reverse("linkage:unmerge", args=[merge.pk]))
    assert resp.status_code == 302
    assert Person.objects.get(pk=p1.person_b_id).merged_into_id is None
    assert supervisor_client.get(reverse("linkage:merges")).status_code == 200


def test_bad_decision_from_the_page_shows_an_error_and_changes_nothing(supervisor_client):
    pair = make_duplicate_pair()
    resp = supervisor_client.post(
        reverse("linkage:decide"), {"pair": [pair.pk, "x"], "decision": "maybe"}, follow=True
    )
    assert resp.status_code == 200
    pair.refresh_from_db()
    assert pair.status == "pending"
    assert "no válida" in resp.content.decode()


def test_queue_in_english(supervisor_client):
    supervisor_client.cookies["django_language"] = "en"
    resp = supervisor_client.get(reverse("linkage:queue"))
    assert "Possible duplicates" in resp.content.decode()


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def test_api_lists_and_decides_pairs(client):
    user = make_national_supervisor()
    pair = make_duplicate_pair()
    resp = client.get("/api/linkage/pairs", **_auth(user))
    assert resp.status_code == 200 and resp.json()["items"][0]["id"] == pair.pk
    resp = client.post(
        "/api/linkage/pairs/decide",
        {"pair_ids": [pair.pk], "decision": "different"},
        content_type="application/json",
        **_auth(user),
    )
    assert resp.status_code == 200 and resp.json()[0]["status"] == "different"


def test_api_errors(client):
    user = make_national_supervisor()
    pair = make_duplicate_pair()
    bad = client.post(
        "/api/linkage/pairs/decide",
        {"pair_ids": [pair.pk], "decision": "nope"},
        content_type="application/json",
        **_auth(user),
    )
    assert bad.status_code == 400
    empty = client.post(
        "/api/linkage/pairs/decide",
        {"pair_ids": [], "decision": "same"},
        content_type="application/json",
        **_auth(user),
    )
    assert empty.status_code == 422
    assert client.get("/api/linkage/pairs/999999", **_auth(user)).status_code == 404
    officer = make_user(Role.RECEPTION_OFFICER)
    assert client.get("/api/linkage/pairs", **_auth(officer)).status_code == 403


def test_api_merge_and_unmerge(client):
    user = make_national_supervisor()
    pair = make_duplicate_pair()
    resp = client.post(
        "/api/linkage/merges",
        {"survivor_id": pair.person_a_id, "merged_id": pair.person_b_id},
        content_type="application/json",
        **_auth(user),
    )
    assert resp.status_code == 201
    merge_id = resp.json()["id"]
    again = client.post(
        "/api/linkage/merges",
        {"survivor_id": pair.person_a_id, "merged_id": pair.person_b_id},
        content_type="application/json",
        **_auth(user),
    )
    assert again.status_code in (404, 409)
    resp = client.post(f"/api/linkage/merges/{merge_id}/unmerge", **_auth(user))
    assert resp.status_code == 200 and resp.json()["undone_at"]
    assert client.post(f"/api/linkage/merges/{merge_id}/unmerge", **_auth(user)).status_code == 409


def test_pair_page_reads_as_a_person_would(supervisor_client):
    pair = make_duplicate_pair(probability=0.8)
    pair.person_b.given_names = pair.person_a.given_names.upper()
    pair.person_b.save()
    pair.levels = {"curp": "null", "surnames": "both similar"}
    pair.save()
    html = supervisor_client.get(reverse("linkage:pair", args=[pair.pk])).content.decode()
    assert "80,0 %" in html and "1,000" not in html
    assert "CURP ausente en uno de los registros" in html and "apellidos parecidos" in html
    assert "igual (solo acentos o mayúsculas)" in html
