"""Diagnosis API: questionnaire definitions, diagnoses (validated like the form), assessment.

Errors: 400 with {detail, errors: {question: [messages]}} for invalid answers (nothing saved),
404 for persons or diagnoses out of the caller's scope (caseworkers and analysts included).
"""

from datetime import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from retorno.accounts.permissions import Perm, api_requires
from retorno.diagnosis import selectors, services
from retorno.diagnosis.models import Diagnosis, Questionnaire
from retorno.diagnosis.profile import profile_for_person
from retorno.diagnosis.questionnaire import text
from retorno.reception.models import RepatriationEvent

router = Router()


class QuestionnaireOut(Schema):
    id: int
    code: str
    version: int
    title: str
    current: bool


class QuestionnaireDetailOut(QuestionnaireOut):
    definition: dict[str, Any]


class DiagnosisReasonOut(Schema):
    kind: str
    code: str
    text: dict[str, str]


class DiagnosisSummaryOut(Schema):
    id: int
    person_id: int
    event_id: int | None
    questionnaire_code: str
    questionnaire_version: int
    status: str
    priority: str
    flags: list[str]
    needs: list[str]
    created_at: datetime


class DiagnosisOut(DiagnosisSummaryOut):
    answers: dict[str, Any]
    scores: dict[str, Any]
    reasons: list[DiagnosisReasonOut]
    updated_at: datetime


class DiagnosisIn(Schema):
    answers: dict[str, Any]
    event_id: int | None = None
    questionnaire_id: int | None = None
    draft: bool = False


class DiagnosisUpdateIn(Schema):
    answers: dict[str, Any]
    draft: bool = False


class AssessmentOut(Schema):
    person_id: int
    diagnosis_id: int | None
    priority: str
    flags: list[str]
    needs: list[str]
    documents_held: list[str]
    languages: list[str]
    reasons: dict[str, str]


def _questionnaire_out(q: Questionnaire, current_ids: set[int], detail: bool = False) -> dict:
    out = {"id": q.pk, "code": q.code, "version": q.version, "title": q.title, "current": q.pk in current_ids}
    if detail:
        out["definition"] = q.definition
    return out


def _current_ids() -> set[int]:
    best: dict[str, Questionnaire] = {}
    for q in selectors.questionnaire_list():
        best.setdefault(q.code, q)
    return {q.pk for q in best.values()}


def _diagnosis_out(d: Diagnosis) -> dict:
    return {
        "id": d.pk,
        "person_id": d.person_id,
        "event_id": d.event_id,
        "questionnaire_code": d.questionnaire.code,
        "questionnaire_version": d.questionnaire.version,
        "status": d.status,
        "priority": d.priority,
        "flags": d.flags,
        "needs": d.needs,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "answers": d.answers,
        "scores": d.scores,
        "reasons": d.reasons,
    }


@router.get("/questionnaires", response=list[QuestionnaireOut], summary="Questionnaire versions")
@api_requires(Perm.DIAGNOSIS_USE)
def questionnaire_list(request):
    ids = _current_ids()
    return [_questionnaire_out(q, ids) for q in selectors.questionnaire_list()]


@router.get(
    "/questionnaires/{questionnaire_id}", response=QuestionnaireDetailOut, summary="One version's definition"
)
@api_requires(Perm.DIAGNOSIS_USE)
def questionnaire_detail(request, questionnaire_id: int):
    return _questionnaire_out(
        get_object_or_404(Questionnaire, pk=questionnaire_id), _current_ids(), detail=True
    )


@router.get(
    "/persons/{person_id}/diagnoses", response=list[DiagnosisSummaryOut], summary="A person's diagnoses"
)
@api_requires(Perm.DIAGNOSIS_USE)
def person_diagnoses(request, person_id: int):
    person = selectors.person_get_for_diagnosis(request.user, person_id)
    services.diagnosis_record_view(user=request.user, person=person)
    return [_diagnosis_out(d) for d in selectors.diagnosis_list_for_person(person)]


@router.post("/persons/{person_id}/diagnoses", response={201: DiagnosisOut}, summary="Record a diagnosis")
@api_requires(Perm.DIAGNOSIS_USE)
def diagnosis_create(request, person_id: int, payload: DiagnosisIn):
    person = selectors.person_get_for_diagnosis(request.user, person_id)
    event = None
    if payload.event_id is not None:
        event = get_object_or_404(RepatriationEvent, pk=payload.event_id, person=person)
    questionnaire = (
        get_object_or_404(Questionnaire, pk=payload.questionnaire_id) if payload.questionnaire_id else None
    )
    d = services.diagnosis_create(
        user=request.user,
        person=person,
        answers=payload.answers,
        event=event,
        questionnaire=questionnaire,
        draft=payload.draft,
    )
    return Status(201, _diagnosis_out(d))


@router.get("/diagnoses/{diagnosis_id}", response=DiagnosisOut, summary="One diagnosis with answers")
@api_requires(Perm.DIAGNOSIS_USE)
def diagnosis_detail(request, diagnosis_id: int):
    d = selectors.diagnosis_get_visible(request.user, diagnosis_id)
    services.diagnosis_record_view(user=request.user, diagnosis=d)
    return _diagnosis_out(d)


@router.put("/diagnoses/{diagnosis_id}", response=DiagnosisOut, summary="Replace a diagnosis's answers")
@api_requires(Perm.DIAGNOSIS_USE)
def diagnosis_update(request, diagnosis_id: int, payload: DiagnosisUpdateIn):
    d = selectors.diagnosis_get_visible(request.user, diagnosis_id)
    return _diagnosis_out(
        services.diagnosis_update(
            user=request.user, diagnosis=d, answers=payload.answers, draft=payload.draft
        )
    )


@router.get("/persons/{person_id}/assessment", response=AssessmentOut, summary="Flags, priority, needs")
@api_requires(Perm.DIAGNOSIS_USE)
def assessment(request, person_id: int):
    """The merged profile (reception data + latest complete diagnosis) with reasons."""
    person = selectors.person_get_for_diagnosis(request.user, person_id)
    services.diagnosis_record_view(user=request.user, person=person)
    profile = profile_for_person(person)
    latest = selectors.diagnosis_latest(person)
    return {
        "person_id": person.pk,
        "diagnosis_id": latest.pk if latest else None,
        "priority": profile.priority,
        "flags": sorted(profile.flags),
        "needs": sorted(profile.needs),
        "documents_held": sorted(profile.documents_held),
        "languages": sorted(profile.languages),
        "reasons": {k: text(v) if isinstance(v, dict) else v for k, v in profile.reasons.items()},
    }
