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


def load(log: Callable[[str], None]) -> None:
    officer = User.objects.filter(username="oficial.tijuana").first()
    for event in RepatriationEvent.objects.filter(followups__isnull=True).order_by("arrived_at"):
        followup_schedule_for_event(event)
    if officer is None:
        return
    found = demo_person("followed")
    if found and not ReintegrationSurvey.objects.filter(person=found[0]).exists():
        person, event = found
        f1, f3 = FollowUp.objects.filter(event=event, months__in=(1, 3)).order_by("months")
        now = timezone.now()
        contact_attempt_record(
            user=officer,
            followup=f1,
            channel="phone",
            reached=False,
            notes="No contesta",
            attempted_at=now - timedelta(days=168),
        )
        contact_attempt_record(
            user=officer, followup=f1, channel="message", reached=True, attempted_at=now - timedelta(days=167)
        )
        q = survey_questionnaire_current()
        survey_submit(
            user=officer,
            person=person,
            answers=FIRST_SURVEY,
            followup=f1,
            taken_on=f1.due_date,
            questionnaire=q,
        )
        contact_attempt_record(
            user=officer, followup=f3, channel="visit", reached=True, attempted_at=now - timedelta(days=105)
        )
        survey_submit(
            user=officer,
            person=person,
            answers=SECOND_SURVEY,
            followup=f3,
            taken_on=f3.due_date,
            questionnaire=q,
        )
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
