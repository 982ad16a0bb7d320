"""Follow-up API: configuration, schedules, attempts, reintegration surveys and scores.

Same reach as the pages: persons in the caller's scope only (404 otherwise); bad input -> 400 with
field messages and nothing saved; attempts on a cancelled contact -> 409.
"""

from datetime import date, datetime
from typing import Any

from ninja import Router, Schema, Status

from retorno.accounts.permissions import Perm, api_requires
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.diagnosis.questionnaire import text
from retorno.diagnosis.selectors import person_get_for_diagnosis
from retorno.followup import config, selectors, services
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.reception.models import RepatriationEvent

router = Router()


class AttemptOut(Schema):
    id: int
    channel: str
    reached: bool
    notes: str
    attempted_at: datetime
    recorded_by: str | None


class FollowUpOut(Schema):
    id: int
    person_id: int
    event_id: int
    months: int
    due_date: date
    status: str
    overdue: bool
    reached_at: datetime | None
    attempts: list[AttemptOut]


class AttemptIn(Schema):
    channel: str
    reached: bool
    notes: str = ""
    attempted_at: datetime | None = None


class SurveyIn(Schema):
    answers: dict[str, Any]
    followup_id: int | None = None
    taken_on: date | None = None


class SurveyOut(Schema):
    id: int
    person_id: int
    followup_id: int | None
    questionnaire_code: str
    questionnaire_version: int
    taken_on: date
    answers: dict[str, Any]
    indicator_scores: dict[str, float]
    dimension_scores: dict[str, float | None]
    composite: float | None


class ConfigOut(Schema):
    schedule_months: list[int]
    overdue_after_days: int
    channels: dict[str, str]
    survey: str


def _attempt_out(a) -> dict:
    return {
        "id": a.pk,
        "channel": a.channel,
        "reached": a.reached,
        "notes": a.notes,
        "attempted_at": a.attempted_at,
        "recorded_by": a.recorded_by.get_username() if a.recorded_by else None,
    }


def _followup_out(f: FollowUp) -> dict:
    from django.utils import timezone

    return {
        "id": f.pk,
        "person_id": f.person_id,
        "event_id": f.event_id,
        "months": f.months,
        "due_date": f.due_date,
        "status": f.status,
        "overdue": f.status == FollowUp.Status.PENDING and f.due_date < timezone.localdate(),
        "reached_at": f.reached_at,
        "attempts": [_attempt_out(a) for a in f.attempts.all()],
    }


def _survey_out(s: ReintegrationSurvey) -> dict:
    return {
        "id": s.pk,
        "person_id": s.person_id,
        "followup_id": s.followup_id,
        "questionnaire_code": s.questionnaire.code,
        "questionnaire_version": s.questionnaire.version,
        "taken_on": s.taken_on,
        "answers": s.answers,
        "indicator_scores": s.indicator_scores,
        "dimension_scores": s.dimension_scores,
        "composite": s.composite,
    }


@router.get("/config", response=ConfigOut, summary="Follow-up configuration")
@api_requires(Perm.FOLLOWUP_USE)
def followup_config(request):
    cfg = config.current()
    return {
        "schedule_months": [s["months"] for s in cfg["schedule"]],
        "overdue_after_days": cfg["overdue_after_days"],
        "channels": {v: text(label) for v, label in config.channel_choices(cfg)},
        "survey": cfg["survey"],
    }


@router.get("/overdue", response=list[FollowUpOut], summary="Overdue follow-ups in my scope")
@api_requires(Perm.FOLLOWUP_USE)
def overdue(request):
    return [
        _followup_out(f)
        for f in selectors.followup_list_overdue(request.user).prefetch_related("attempts")[:500]
    ]


def _person(request, person_id: int):
    person = person_get_for_diagnosis(request.user, person_id)
    audit_record(
        user=request.user,
        action=AuditEntry.Action.VIEW,
        object_type="identity.person",
        detail={"section": "followup"},
        object_id=person.pk,
        person_id=person.pk,
    )
    return person


@router.get(
    "/persons/{person_id}/schedule", response=list[FollowUpOut], summary="A person's follow-up schedule"
)
@api_requires(Perm.FOLLOWUP_USE)
def person_schedule(request, person_id: int):
    person = _person(request, person_id)
    return [_followup_out(f) for f in selectors.followup_list_for_person(person)]


@router.post("/persons/{person_id}/schedule", response=list[FollowUpOut], summary="Create missing schedules")
@api_requires(Perm.FOLLOWUP_USE)
def person_schedule_create(request, person_id: int):
    person = _person(request, person_id)
    for event in RepatriationEvent.objects.filter(person=person).order_by("arrived_at"):
        services.followup_schedule_for_event(event)
    return [_followup_out(f) for f in selectors.followup_list_for_person(person)]


@router.get("/followups/{followup_id}/attempts", response=list[AttemptOut], summary="Attempts of a follow-up")
@api_requires(Perm.FOLLOWUP_USE)
def attempt_list(request, followup_id: int):
    f = selectors.followup_get_visible(request.user, followup_id)
    return [_attempt_out(a) for a in f.attempts.select_related("recorded_by")]


@router.post("/followups/{followup_id}/attempts", response={201: AttemptOut}, summary="Log a contact attempt")
@api_requires(Perm.FOLLOWUP_USE)
def attempt_create(request, followup_id: int, payload: AttemptIn):
    f = selectors.followup_get_visible(request.user, followup_id)
    attempt = services.contact_attempt_record(
        user=request.user,
        followup=f,
        channel=payload.channel,
        reached=payload.reached,
        notes=payload.notes,
        attempted_at=payload.attempted_at,
    )
    return Status(201, _attempt_out(attempt))


@router.get("/persons/{person_id}/surveys", response=list[SurveyOut], summary="Surveys and scores over time")
@api_requires(Perm.FOLLOWUP_USE)
def survey_list(request, person_id: int):
    person = _person(request, person_id)
    return [_survey_out(s) for s in selectors.survey_list_for_person(person)]


@router.post(
    "/persons/{person_id}/surveys", response={201: SurveyOut}, summary="Record a reintegration survey"
)
@api_requires(Perm.FOLLOWUP_USE)
def survey_create(request, person_id: int, payload: SurveyIn):
    person = person_get_for_diagnosis(request.user, person_id)
    followup = None
    if payload.followup_id is not None:
        followup = selectors.followup_get_visible(request.user, payload.followup_id)
    survey = services.survey_submit(
        user=request.user,
        person=person,
        answers=payload.answers,
        followup=followup,
        taken_on=payload.taken_on,
    )
    return Status(201, _survey_out(survey))


@router.get("/surveys/{survey_id}", response=SurveyOut, summary="One survey")
@api_requires(Perm.FOLLOWUP_USE)
def survey_detail(request, survey_id: int):
    s = selectors.survey_get_visible(request.user, survey_id)
    audit_record(user=request.user, action=AuditEntry.Action.VIEW, obj=s, person_id=s.person_id)
    return _survey_out(s)
