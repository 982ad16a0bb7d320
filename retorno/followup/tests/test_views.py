from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.followup import services
from retorno.followup.models import ContactAttempt, ReintegrationSurvey
from retorno.followup.tests.factories import make_survey_questionnaire
from retorno.testing.factories import make_event, make_point, make_user

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def world():
    make_survey_questionnaire()
    tij = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    event = make_event(point=tij, arrived_at=datetime(2025, 1, 10, 10, tzinfo=MX))
    followups = services.followup_schedule_for_event(event)
    other = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    return {"officer": officer, "person": event.person, "followups": followups, "other": other}


def test_dashboard_lists_overdue_followups(client, world):
    client.force_login(world["officer"])
    page = client.get(reverse("followup:dashboard")).content.decode()
    assert world["person"].full_name in page and "Seguimientos vencidos" in page


def test_dashboard_of_another_point_does_not_list_them(client, world):
    client.force_login(world["other"])
    assert world["person"].full_name not in client.get(reverse("followup:dashboard")).content.decode()


def test_caseworker_dashboard_has_no_personal_followups(client, world):
    client.force_login(make_user(Role.CASEWORKER))
    resp = client.get(reverse("followup:dashboard"))
    assert resp.status_code == 200 and world["person"].full_name not in resp.content.decode()
    assert client.get(reverse("followup:person", args=[world["person"].pk])).status_code == 403


def test_officer_logs_an_attempt_from_the_person_tab(client, world):
    client.force_login(world["officer"])
    f = world["followups"][0]
    resp = client.post(
        reverse("followup:attempt", args=[f.pk]), {"channel": "phone", "reached": "true", "notes": "ok"}
    )
    assert resp.status_code == 302
    f.refresh_from_db()
    assert f.status == "reached"


def test_bad_attempt_shows_errors_and_saves_nothing(client, world):
    client.force_login(world["officer"])
    f = world["followups"][0]
    resp = client.post(reverse("followup:attempt", args=[f.pk]), {"channel": "pigeon"})
    assert resp.status_code == 400 and not ContactAttempt.objects.exists()


def test_other_point_cannot_log_attempts_or_read_the_tab(client, world):
    client.force_login(world["other"])
    f = world["followups"][0]
    assert (
        client.post(
            reverse("followup:attempt", args=[f.pk]), {"channel": "phone", "reached": "true"}
        ).status_code
        == 404
    )
    assert client.get(reverse("followup:person", args=[world["person"].pk])).status_code == 404
    assert not ContactAttempt.objects.exists()


def test_survey_form_saves_and_the_tab_shows_the_chart(client, world):
    client.force_login(world["officer"])
    url = reverse("followup:survey_new", args=[world["person"].pk]) + f"?followup={world['followups'][0].pk}"
    assert client.get(url).status_code == 200
    resp = client.post(
        url,
        {
            "employment": "informal",
            "housing": "adequate",
            "belonging": "agree",
            "followup": world["followups"][0].pk,
        },
    )
    assert resp.status_code == 302
    full = {"employment": "formal", "income_sufficiency": "agree", "food_security": "never", "debt": "none"}
    assert client.post(reverse("followup:survey_new", args=[world["person"].pk]), full).status_code == 302
    survey = ReintegrationSurvey.objects.first()
    page = client.get(reverse("followup:person", args=[world["person"].pk])).content.decode()
    assert "<svg" in page and "polyline" in page and "<circle" in page
    assert client.get(reverse("followup:survey", args=[survey.pk])).status_code == 200
    client.force_login(world["other"])
    assert client.get(reverse("followup:survey", args=[survey.pk])).status_code == 404


def test_dashboard_only_reads_and_the_command_backfills_schedules(client, world):
    """A GET writes nothing (it used to create missing schedules on first sight); arrivals
    recorded before follow-up existed get theirs from `retorno schedule_followups`."""
    from django.core.management import call_command

    from retorno.followup.models import FollowUp
    from retorno.testing.factories import make_person

    late = make_event(
        person=make_person(given_names="Tardío"),
        point=world["officer"].reception_point,
        arrived_at=datetime(2025, 3, 1, 10, tzinfo=MX),
    )
    client.force_login(world["officer"])
    client.get(reverse("followup:dashboard"))
    assert not FollowUp.objects.filter(event=late).exists()
    call_command("schedule_followups", verbosity=0)
    assert FollowUp.objects.filter(event=late).count() == 4
    assert late.person.full_name in client.get(reverse("followup:dashboard")).content.decode()
