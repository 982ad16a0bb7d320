"""Writing diagnoses: validate against the questionnaire version, derive flags/priority/needs,
save, audit. All or nothing."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.diagnosis import questionnaire as qn
from retorno.diagnosis import rules
from retorno.diagnosis.models import Diagnosis, Questionnaire
from retorno.diagnosis.selectors import require_diagnosis_role
from retorno.identity.models import Person

MSG_EVENT_OTHER_PERSON = _("El evento de repatriación no corresponde a esta persona.")
MSG_NOT_ANSWERS = _("Las respuestas deben ser un objeto {pregunta: respuesta}.")


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def latest_event(person: Person):
    from retorno.reception.models import RepatriationEvent

    return RepatriationEvent.objects.filter(person=person).order_by("-arrived_at").first()


def context_for(person: Person, event=None) -> dict[str, Any]:
    """Reception facts that questionnaire conditions and rules may read (dotted names)."""
    age = _age(person.birth_date, date.today())
    facts: dict[str, Any] = {
        "person.age": age,
        "person.sex": person.sex,
        "person.indigenous": person.indigenous,
    }
    if event is not None:
        facts |= {
            "event.age_at_arrival": event.age_at_arrival,
            "event.unaccompanied_minor": event.unaccompanied_minor,
            "event.has_documents": bool(set(event.documents or []) - {"none"}),
            "event.documents": list(event.documents or []),
        }
    return facts


def facts_for(person: Person, event, definition: Mapping, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the vulnerability rules read: reception facts, typed answers, scores, derived."""
    facts = context_for(person, event)
    facts |= qn.typed_answers(definition, answers)
    for name, value in qn.compute_scores(definition, answers).items():
        facts[f"score.{name}"] = value
    years, age = answers.get("years_in_us"), facts.get("person.age")
    if isinstance(years, int) and age:
        facts["derived.life_share_in_us"] = min(years / age, 1.0)
    return facts


def _apply(diagnosis: Diagnosis) -> None:
    definition = diagnosis.questionnaire.definition
    facts = facts_for(diagnosis.person, diagnosis.event, definition, diagnosis.answers)
    result = rules.assess(facts)
    diagnosis.scores = qn.compute_scores(definition, diagnosis.answers)
    diagnosis.flags = sorted(result.flags)
    diagnosis.needs = sorted(result.needs)
    diagnosis.priority = result.priority
    diagnosis.reasons = [r.as_dict() for r in result.reasons]


def _clean(questionnaire: Questionnaire, person: Person, event, answers: Any, draft: bool) -> dict:
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": [MSG_NOT_ANSWERS]})
    cleaned, errors = qn.validate_answers(
        questionnaire.definition, answers, draft=draft, context=context_for(person, event)
    )
    if errors:
        raise ValidationError(errors)
    return cleaned


def diagnosis_create(
    *,
    user: User,
    person: Person,
    answers: Mapping[str, Any],
    event=None,
    questionnaire: Questionnaire | None = None,
    draft: bool = False,
) -> Diagnosis:
    """Record a diagnosis of `person` under `questionnaire` (default: the current version).

    `event` defaults to the person's latest arrival. Raises ValidationError (question -> messages)
    on any invalid answer, saving nothing; AccessDenied for roles that may not diagnose. The caller
    has already checked that the person is in the user's scope.
    """
    from retorno.diagnosis.selectors import questionnaire_current

    require_diagnosis_role(user)
    questionnaire = questionnaire or questionnaire_current()
    if event is not None and event.person_id != person.pk:
        raise ValidationError({"event_id": [MSG_EVENT_OTHER_PERSON]})
    event = event or latest_event(person)
    cleaned = _clean(questionnaire, person, event, answers, draft)
    with transaction.atomic():
        diagnosis = Diagnosis(
            person=person,
            event=event,
            questionnaire=questionnaire,
            answers=cleaned,
            status=Diagnosis.Status.DRAFT if draft else Diagnosis.Status.COMPLETE,
            created_by=user,
            updated_by=user,
        )
        _apply(diagnosis)
        diagnosis.save()
        audit_record(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=diagnosis,
            person_id=person.pk,
            reception_point_id=event.reception_point_id if event else user.reception_point_id,
            detail={"questionnaire": questionnaire.code, "version": questionnaire.version, "draft": draft},
        )
    return diagnosis


def diagnosis_update(
    *, user: User, diagnosis: Diagnosis, answers: Mapping[str, Any], draft: bool = False
) -> Diagnosis:
    """Replace the answers of a diagnosis, keeping the questionnaire version it was started under.

    A complete diagnosis cannot go back to draft. Same errors as diagnosis_create.
    """
    require_diagnosis_role(user)
    draft = draft and diagnosis.status == Diagnosis.Status.DRAFT
    cleaned = _clean(diagnosis.questionnaire, diagnosis.person, diagnosis.event, answers, draft)
    with transaction.atomic():
        diagnosis.answers = cleaned
        diagnosis.status = Diagnosis.Status.DRAFT if draft else Diagnosis.Status.COMPLETE
        diagnosis.updated_by = user
        _apply(diagnosis)
        diagnosis.save()
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=diagnosis,
            person_id=diagnosis.person_id,
            reception_point_id=diagnosis.event.reception_point_id
            if diagnosis.event
            else user.reception_point_id,
            detail={"draft": draft},
        )
    return diagnosis


def diagnosis_record_view(
    *, user: User, diagnosis: Diagnosis | None = None, person: Person | None = None
) -> None:
    """Audit a read of diagnosis answers (a page or API read)."""
    person_id = diagnosis.person_id if diagnosis else person.pk
    event = diagnosis.event if diagnosis else None
    audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=diagnosis,
        object_type="" if diagnosis else "identity.person",
        object_id="" if diagnosis else person_id,
        person_id=person_id,
        reception_point_id=event.reception_point_id if event else user.reception_point_id,
        detail={"section": "diagnosis"},
    )
