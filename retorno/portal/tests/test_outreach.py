"""Follow-up by message: who is invited, quiet hours, reminders, STOP, delivery receipts, the
self-completed survey from the link (single use) and the reach per cohort."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.portal import outreach
from retorno.portal.models import OutboundMessage, SurveyInvitation
from retorno.portal.webhooks import twilio_signature
from retorno.testing.factories import make_event, make_person, make_point, make_user

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("America/Mexico_City"))


@pytest.fixture(autouse=True)
def _survey():
    call_command("load_reference", verbosity=0)


def due_followup(**person_kw) -> FollowUp:
    values = dict(phone_mx="6641234567", contact_by_message=True, birth_date=date(1990, 1, 1))
    values.update(person_kw)
    person = make_person(**values)
    event = make_event(person=person, point=make_point("TIJ"))
    return FollowUp.objects.create(
        person=person, event=event, months=1, due_date=NOON.date() - timedelta(days=1)
    )


def link_of(message: OutboundMessage) -> str:
    return re.search(r"/portal/s/([\w-]+)/", message.body).group(1)


def test_only_consenting_adults_with_a_contact_are_invited_and_none_in_quiet_hours():
    invited = due_followup()
    due_followup(contact_by_message=False, phone_mx="6640000001")
    due_followup(phone_mx="", phone_us="", email="")
    today = timezone.localdate()
    due_followup(phone_mx="6640000003", birth_date=today.replace(year=today.year - 15))
    night = NOON.replace(hour=23)
    assert outreach.outreach_run(now=night).quiet and not OutboundMessage.objects.exists()
    dry = outreach.outreach_run(now=NOON, dry_run=True)
    assert len(dry.would) == 1 and not OutboundMessage.objects.exists()
    report = outreach.outreach_run(now=NOON)
    assert report.invited == 1 and report.skipped == {"no consent, opted out or minor": 2, "no contact": 1}
    message = OutboundMessage.objects.get()
    assert message.person == invited.person and "1 meses" in message.body and "STOP" in message.body
    assert outreach.outreach_run(now=NOON).invited == 0  # never twice for the same follow-up


def test_reminders_are_bounded_and_each_link_opens_the_same_survey():
    followup = due_followup()
    outreach.outreach_run(now=NOON)
    for day in (4, 8, 12, 16):
        outreach.outreach_run(now=NOON + timedelta(days=day))
    invitation = SurveyInvitation.objects.get()
    assert invitation.reminders_sent == 2 and OutboundMessage.objects.count() == 3
    links = {link_of(m) for m in OutboundMessage.objects.all()}
    assert len(links) == 3 and {outreach.invitation_for_token(t) for t in links} == {invitation}
    assert invitation.followup == followup


def test_stop_is_honoured_at_once_and_nothing_more_is_sent(client, settings):
    settings.RETORNO_TWILIO_AUTH_TOKEN = "secret"
    followup = due_followup()
    outreach.outreach_run(now=NOON)
    url = "/portal/hooks/twilio/inbound/"
    params = {"From": "+526641234567", "Body": "stop"}
    forged = client.post(url, params, HTTP_X_TWILIO_SIGNATURE="bad")
    assert forged.status_code == 400
    signed = twilio_signature(settings.RETORNO_PUBLIC_URL.rstrip("/") + url, params, "secret")
    answer = client.post(url, params, HTTP_X_TWILIO_SIGNATURE=signed)
    assert answer.status_code == 200 and b"<Message>" in answer.content
    followup.person.refresh_from_db()
    assert followup.person.messages_opted_out_at is not None
    before = OutboundMessage.objects.count()
    for day in (4, 8):
        outreach.outreach_run(now=NOON + timedelta(days=day))
    FollowUp.objects.create(person=followup.person, event=followup.event, months=3, due_date=NOON.date())
    outreach.outreach_run(now=NOON + timedelta(days=9))
    assert OutboundMessage.objects.count() == before  # no reminder, no new invitation


def test_delivery_receipts_update_the_message(client, settings):
    settings.RETORNO_TWILIO_AUTH_TOKEN = "secret"
    due_followup()
    outreach.outreach_run(now=NOON)
    OutboundMessage.objects.update(gateway_ref="SM42")
    url = "/portal/hooks/twilio/status/"
    params = {"MessageSid": "SM42", "MessageStatus": "delivered"}
    client.post(
        url,
        params,
        HTTP_X_TWILIO_SIGNATURE=twilio_signature(
            settings.RETORNO_PUBLIC_URL.rstrip("/") + url, params, "secret"
        ),
    )
    assert OutboundMessage.objects.get().status == "delivered"


def test_the_link_opens_the_short_survey_once_and_feeds_the_same_score(client):
    followup = due_followup()
    outreach.outreach_run(now=timezone.localtime().replace(hour=12))  # today at noon: the link is live now
    token = link_of(OutboundMessage.objects.get())
    page = client.get(f"/portal/s/{token}/")
    assert page.status_code == 200 and "Situación de trabajo" in page.content.decode()
    bad = client.post(f"/portal/s/{token}/", {"employment": "astronaut"})
    assert (
        bad.status_code == 200
        and "survey-errors" in bad.content.decode()
        and not ReintegrationSurvey.objects.exists()
    )
    done = client.post(
        f"/portal/s/{token}/", {"employment": "formal", "income_sufficiency": "agree", "housing": "adequate"}
    )
    assert "Gracias" in done.content.decode()
    survey = ReintegrationSurvey.objects.get()
    assert (
        survey.self_reported
        and survey.recorded_by is None
        and survey.dimension_scores["economic"] is not None
    )
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.REACHED
    replay = client.get(f"/portal/s/{token}/")
    assert "ya fue respondida" in replay.content.decode()
    assert client.get("/portal/s/not-a-token/").status_code == 404


def test_officers_see_the_reach_of_their_points(client):
    due_followup()
    outreach.outreach_run(now=NOON)
    OutboundMessage.objects.update(status="delivered")
    officer = make_user(Role.RECEPTION_OFFICER, point=make_point("TIJ"))
    rows = outreach.reach_by_cohort(officer)
    assert [(r["invited"], r["delivered"], r["answered"], r["opted_out"]) for r in rows] == [(1, 1, 0, 0)]
    assert outreach.reach_by_cohort(make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))) == []
    client.force_login(officer)
    assert "Invitadas" in client.get("/portal/reach/").content.decode()
