import pytest

from retorno.accounts.models import Role
from retorno.diagnosis.models import Diagnosis
from retorno.diagnosis.tests.factories import VALID_ANSWERS, make_questionnaire
from retorno.testing.factories import make_event, make_point, make_token, make_user

pytestmark = pytest.mark.django_db

# The API takes JSON types: booleans and numbers as such (text forms are accepted too).
JSON_ANSWERS = {
    **VALID_ANSWERS,
    "consent_given": True,
    "years_in_us": 8,
    "has_certificates": False,
    "needs_medical_now": False,
}


@pytest.fixture
def world():
    q = make_questionnaire()
    tij = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    event = make_event(point=tij)
    return {"q": q, "officer": officer, "event": event, "person": event.person, "tij": tij}


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def test_questionnaire_definitions_are_listed_with_the_current_version(client, world):
    resp = client.get("/api/diagnosis/questionnaires", **_auth(world["officer"]))
    assert resp.status_code == 200
    assert resp.json()[0] | {} == resp.json()[0] and resp.json()[0]["current"] is True
    detail = client.get(f"/api/diagnosis/questionnaires/{world['q'].pk}", **_auth(world["officer"])).json()
    assert detail["definition"]["code"] == "diagnostico"


def test_submit_and_read_back_a_diagnosis(client, world):
    auth = _auth(world["officer"])
    resp = client.post(
        f"/api/diagnosis/persons/{world['person'].pk}/diagnoses",
        {"answers": JSON_ANSWERS, "event_id": world["event"].pk},
        content_type="application/json",
        **auth,
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert (
        body["priority"] == "normal" and "employment" in body["needs"] and body["questionnaire_version"] == 1
    )
    got = client.get(f"/api/diagnosis/diagnoses/{body['id']}", **auth).json()
    assert got["answers"]["years_in_us"] == 8
    assessment = client.get(f"/api/diagnosis/persons/{world['person'].pk}/assessment", **auth).json()
    assert "employment" in assessment["needs"] and "es" in assessment["languages"]


def test_invalid_answers_give_400_with_messages_and_save_nothing(client, world):
    resp = client.post(
        f"/api/diagnosis/persons/{world['person'].pk}/diagnoses",
        {"answers": {**JSON_ANSWERS, "years_in_us": 200, "education_level": "phd"}},
        content_type="application/json",
        **_auth(world["officer"]),
    )
    assert resp.status_code == 400
    errors = resp.json()["errors"]
    assert set(errors) == {"years_in_us", "education_level"}
    assert not Diagnosis.objects.exists()


def test_errors_come_in_english_when_asked(client, world):
    resp = client.post(
        f"/api/diagnosis/persons/{world['person'].pk}/diagnoses",
        {"answers": {**JSON_ANSWERS, "consent_given": False}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_auth(world["officer"]),
    )
    assert resp.status_code == 400
    assert resp.json()["errors"]["consent_given"] == ["Without consent the assessment is not recorded."]


def test_wrong_shapes_are_422_not_500(client, world):
    url = f"/api/diagnosis/persons/{world['person'].pk}/diagnoses"
    for body in ({"answers": "x"}, {"answers": [1, 2]}, {}, {"answers": {}, "event_id": "abc"}):
        resp = client.post(url, body, content_type="application/json", **_auth(world["officer"]))
        assert resp.status_code == 422, body


def test_event_of_another_person_is_404(client, world):
    other_event = make_event(point=world["tij"])
    resp = client.post(
        f"/api/diagnosis/persons/{world['person'].pk}/diagnoses",
        {"answers": JSON_ANSWERS, "event_id": other_event.pk},
        content_type="application/json",
        **_auth(world["officer"]),
    )
    assert resp.status_code == 404


def test_other_point_and_caseworkers_get_404(client, world):
    resp = client.post(
        f"/api/diagnosis/persons/{world['person'].pk}/diagnoses",
        {"answers": JSON_ANSWERS},
        content_type="application/json",
        **_auth(world["officer"]),
    )
    did = resp.json()["id"]
    # Another point's officer: hidden (404). Roles without diagnoses at all: refused (403).
    for user, status in (
        (make_user(Role.RECEPTION_OFFICER, point=make_point("MXL")), 404),
        (make_user(Role.CASEWORKER), 403),
        (make_user(Role.ANALYST), 403),
    ):
        auth = _auth(user)
        assert client.get(f"/api/diagnosis/diagnoses/{did}", **auth).status_code == status
        assert client.get(f"/api/diagnosis/persons/{world['person'].pk}/diagnoses", **auth).status_code == status
        assert (
            client.get(f"/api/diagnosis/persons/{world['person'].pk}/assessment", **auth).status_code == status
        )
        put = client.put(
            f"/api/diagnosis/diagnoses/{did}",
            {"answers": JSON_ANSWERS},
            content_type="application/json",
            **auth,
        )
        assert put.status_code == status
        post = client.post(
            f"/api/diagnosis/persons/{world['person'].pk}/diagnoses",
            {"answers": JSON_ANSWERS},
            content_type="application/json",
            **auth,
        )
        assert post.status_code == status
    assert Diagnosis.objects.count() == 1


def test_unauthenticated_is_401(client, world):
    assert client.get("/api/diagnosis/questionnaires").status_code == 401
