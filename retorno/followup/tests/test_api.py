from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from retorno.accounts.models import Role
from retorno.followup import services
from retorno.followup.models import ContactAttempt, ReintegrationSurvey
from retorno.followup.tests.factories import make_survey_questionnaire
from retorno.testing.factories import make_event, make_point, make_token, make_user

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def world():
    make_survey_questionnaire()
    tij = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    event = make_event(point=tij, arrived_at=datetime(2025, 1, 10, 10, tzinfo=MX))
    return {"officer": officer, "event": event, "person": event.person}


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def test_schedule_is_created_and_listed_with_overdue_marks(client, world):
    auth = _auth(world["officer"])
    resp = client.post(f"/api/followup/persons/{world['person'].pk}/schedule", **auth)
    assert resp.status_code == 200
    assert [f["months"] for f in resp.json()] == [1, 3, 6, 12]
    assert all(f["overdue"] for f in resp.json())  # arrival in Jan 2025
    assert len(client.get("/api/followup/overdue", **auth).json()) == 4
    assert client.get("/api/followup/config", **auth).json()["schedule_months"] == [1, 3, 6, 12]


def test_attempts_are_logged_and_bad_ones_refused(client, world):
    auth = _auth(world["officer"])
    f = services.followup_schedule_for_event(world["event"])[0]
    url = f"/api/followup/followups/{f.pk}/attempts"
    bad = client.post(url, {"channel": "fax", "reached": True}, content_type="application/json", **auth)
    assert bad.status_code == 400 and "channel" in bad.json()["errors"]
    assert client.post(url, {"channel": "phone"}, content_type="application/json", **auth).status_code == 422
    ok = client.post(
        url, {"channel": "phone", "reached": True, "notes": "bien"}, content_type="application/json", **auth
    )
    assert ok.status_code == 201
    assert [a["notes"] for a in client.get(url, **auth).json()] == ["bien"]


def test_cancelled_followup_attempt_is_409(client, world):
    f = services.followup_schedule_for_event(world["event"])[0]
    f.status = "cancelled"
    f.save()
    resp = client.post(
        f"/api/followup/followups/{f.pk}/attempts",
        {"channel": "phone", "reached": True},
        content_type="application/json",
        **_auth(world["officer"]),
    )
    assert resp.status_code == 409 and not ContactAttempt.objects.exists()


def test_surveys_give_scores_over_time(client, world):
    auth = _auth(world["officer"])
    url = f"/api/followup/persons/{world['person'].pk}/surveys"
    first = client.post(
        url,
        {"answers": {"employment": "searching"}, "taken_on": "2025-02-10"},
        content_type="application/json",
        **auth,
    )
    assert (
        first.status_code == 201 and first.json()["dimension_scores"]["economic"] is None
    )  # 2 of 6 weight < half
    second = client.post(
        url,
        {
            "answers": {"employment": "formal", "income_sufficiency": "agree", "debt": "none"},
            "taken_on": "2025-04-10",
        },
        content_type="application/json",
        **auth,
    )
    # economic: (2*1 + 0.75 + 1) / 4 = 0.9375 (4 of 6 weight answered)
    assert second.json()["dimension_scores"]["economic"] == 0.9375
    assert [s["taken_on"] for s in client.get(url, **auth).json()] == ["2025-02-10", "2025-04-10"]
    bad = client.post(url, {"answers": {"employment": "astronaut"}}, content_type="application/json", **auth)
    assert bad.status_code == 400 and ReintegrationSurvey.objects.count() == 2


def test_other_point_gets_404_everywhere(client, world):
    f = services.followup_schedule_for_event(world["event"])[0]
    auth = _auth(make_user(Role.RECEPTION_OFFICER, point=make_point("MXL")))
    pid = world["person"].pk
    assert client.get(f"/api/followup/persons/{pid}/schedule", **auth).status_code == 404
    assert client.get(f"/api/followup/persons/{pid}/surveys", **auth).status_code == 404
    assert (
        client.post(
            f"/api/followup/persons/{pid}/surveys", {"answers": {}}, content_type="application/json", **auth
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/followup/followups/{f.pk}/attempts",
            {"channel": "phone", "reached": True},
            content_type="application/json",
            **auth,
        ).status_code
        == 404
    )
    assert client.get("/api/followup/overdue", **auth).json() == []


def test_attempt_date_without_offset_is_local_time_and_future_dates_are_refused(client, world):
    auth = _auth(world["officer"])
    f = services.followup_schedule_for_event(world["event"])[0]
    url = f"/api/followup/followups/{f.pk}/attempts"
    ok = client.post(
        url,
        {"channel": "visit", "reached": False, "attempted_at": "2025-02-10T09:30:00"},
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 201 and ok.json()["attempted_at"].startswith("2025-02-10T09:30:00-06:00")
    future = client.post(
        url,
        {"channel": "visit", "reached": False, "attempted_at": "2999-01-01T00:00:00"},
        content_type="application/json",
        **auth,
    )
    assert future.status_code == 400 and "attempted_at" in future.json()["errors"]
