"""Demo follow-up: schedules for every arrival, attempts, two surveys over time for one person
and an overdue contact for another. Idempotent."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from retorno.accounts.models import User
from retorno.diagnosis.demo import demo_person
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.followup.selectors import survey_questionnaire_current
from retorno.followup.services import contact_attempt_record, followup_schedule_for_event, survey_submit
from retorno.reception.models import RepatriationEvent
from retorno.reference.demo_pack import demo_desk

FIRST_SURVEY = {
    "employment": "searching",
    "income_sufficiency": "disagree",
    "food_security": "sometimes",
    "debt": "manageable",
    "can_borrow": "disagree",
    "housing": "temporary",
    "health_access": "limited",
    "education_access": "not_applicable",
    "documents": "all",
    "services_access": "good",
    "support_network": "agree",
    "participation": "disagree",
    "belonging": "neutral",
    "discrimination": "sometimes",
    "distress": "often",
    "physical_safety": "agree",
    "remigration_wish": "maybe",
}
SECOND_SURVEY = {
    **FIRST_SURVEY,
    "employment": "informal",
    "income_sufficiency": "neutral",
    "food_security": "never",
    "housing": "adequate",
    "participation": "agree",
    "belonging": "agree",
    "distress": "sometimes",
    "remigration_wish": "no",
}


def _two_surveys(officer: User, person, event) -> None:
    f1, f3 = FollowUp.objects.filter(event=event, months__in=(1, 3)).order_by("months")
    arrived = event.arrived_at
    contact_attempt_record(
        user=officer,
        followup=f1,
        channel="phone",
        reached=False,
        notes="No contesta",
        attempted_at=arrived + timedelta(days=31),
    )
    contact_attempt_record(
        user=officer, followup=f1, channel="message", reached=True, attempted_at=arrived + timedelta(days=32)
    )
    q = survey_questionnaire_current()
    survey_submit(
        user=officer, person=person, answers=FIRST_SURVEY, followup=f1, taken_on=f1.due_date, questionnaire=q
    )
    contact_attempt_record(
        user=officer, followup=f3, channel="visit", reached=True, attempted_at=arrived + timedelta(days=95)
    )
    survey_submit(
        user=officer, person=person, answers=SECOND_SURVEY, followup=f3, taken_on=f3.due_date, questionnaire=q
    )


def load(log: Callable[[str], None]) -> None:
    officer = User.objects.filter(username=demo_desk("officer")).first()
    # The statistics demo's synthetic history (thousands of events) is not a caseload to follow up.
    pending = RepatriationEvent.objects.filter(followups__isnull=True).exclude(notes="demo-synthetic")
    for event in pending.order_by("arrived_at"):
        followup_schedule_for_event(event)
    if officer is None:
        return
    # The long-followed returnee and the walkthrough's returnee (docs/walkthrough.md) each get
    # attempts at the 1- and 3-month contacts and a survey at each.
    for key in ("followed", "referred"):
        found = demo_person(key)
        if found and not ReintegrationSurvey.objects.filter(person=found[0]).exists():
            _two_surveys(officer, *found)
    found = demo_person("worker")
    if found:
        f1 = FollowUp.objects.filter(event=found[1], months=1).first()
        if f1 and not f1.attempts.exists():
            contact_attempt_record(
                user=officer,
                followup=f1,
                channel="phone",
                reached=False,
                notes="Número fuera de servicio",
                attempted_at=timezone.now() - timedelta(days=38),
            )
    log(
        f"  follow-up: {FollowUp.objects.count()} scheduled contacts, {ReintegrationSurvey.objects.count()} surveys"
    )
