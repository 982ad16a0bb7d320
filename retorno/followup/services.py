"""Follow-up writes: the schedule after an arrival, contact attempts, reintegration surveys."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_as_person, audit_record
from retorno.core.db import insert_all
from retorno.core.exceptions import DomainError
from retorno.diagnosis import questionnaire as qn
from retorno.diagnosis.models import Questionnaire
from retorno.diagnosis.selectors import require_diagnosis_role
from retorno.followup import config as followup_config
from retorno.followup import scoring
from retorno.followup.models import ContactAttempt, FollowUp, ReintegrationSurvey
from retorno.identity.models import Person

MSG_UNKNOWN_CHANNEL = _("Medio de contacto no válido.")
MSG_FUTURE = _("La fecha no puede ser futura.")
MSG_NOTES_TOO_LONG = _("Las notas son demasiado largas (máximo 2000 caracteres).")
MSG_FOLLOWUP_CANCELLED = _("Este seguimiento fue cancelado; no se registran intentos.")
MSG_FOLLOWUP_OTHER_PERSON = _("El seguimiento no corresponde a esta persona.")
MSG_REACHED_REQUIRED = _("Indique si se logró el contacto.")


def schedule_on_arrival(sender, *, event, new_person: bool, **_kwargs) -> None:
    """Receiver of reception.hooks.arrival_registered: contacts at 1, 3, 6, 12 months
    (followup.yaml), in the registration's transaction."""
    followup_schedule_for_event(event, new_event=True, new_person=new_person)


def followup_schedule_for_event(
    event, *, config: Mapping | None = None, new_event: bool = False, new_person: bool = False
) -> list[FollowUp]:
    """Create the follow-up contacts of an arrival (idempotent) and return all of them.

    Due dates are `months` after the local arrival date, per followup.yaml. Pending contacts of the
    person's earlier arrivals are cancelled: a new return restarts the reintegration. Safe to call
    again (existing contacts are kept as they are) and inside the caller's transaction.
    `new_event`: the caller has just created the event, so it has no contacts yet; `new_person`:
    and its person too, so there are no other arrivals to compare with (each saves queries).

    The check and the cancelling are hand-written statements and the insert goes through
    core.db.insert_all: this runs on every registration, and building the ORM's exists(),
    bulk_create() and joined update() cost about 1 ms of CPU for a repeat returnee, several times
    what the database spends on the three statements.
    """
    config = config or followup_config.current()
    arrival = timezone.localtime(event.arrived_at).date()
    followups, events = FollowUp._meta.db_table, event._meta.db_table
    at = connection.ops.adapt_datetimefield_value(event.arrived_at)
    # No savepoint of its own: the caller's transaction (or this one, when called alone) is the
    # unit, and a savepoint costs two round trips on every registration.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        existing = {} if new_event else {f.months: f for f in FollowUp.objects.filter(event=event)}
        status = FollowUp.Status.PENDING
        if not new_person:
            cursor.execute(
                f"SELECT 1 FROM {events} WHERE person_id = %s AND arrived_at > %s LIMIT 1",
                [event.person_id, at],
            )
            if cursor.fetchone():  # backfilling an arrival that a later one superseded: no calls
                status = FollowUp.Status.CANCELLED
        missing = [
            FollowUp(
                person_id=event.person_id,
                event=event,
                months=step["months"],
                due_date=arrival + relativedelta(months=step["months"]),
                status=status,
            )
            for step in config["schedule"]
            if step["months"] not in existing
        ]
        insert_all(missing)
        existing.update((followup.months, followup) for followup in missing)
        if not new_person:
            cursor.execute(
                f"UPDATE {followups} SET status = %s WHERE person_id = %s AND status = %s AND event_id IN "
                f"(SELECT id FROM {events} WHERE person_id = %s AND arrived_at < %s)",
                [FollowUp.Status.CANCELLED, event.person_id, FollowUp.Status.PENDING, event.person_id, at],
            )
    return sorted(existing.values(), key=lambda f: f.months)


def followup_schedule_missing(*, events, limit: int = 500) -> int:
    """Schedule (lazily) the arrivals in `events` that have no follow-up yet, oldest first, at most
    `limit` per call so a page stays fast; returns how many were scheduled."""
    count = 0
    for event in events.filter(followups__isnull=True).order_by("arrived_at", "pk")[:limit]:
        followup_schedule_for_event(event)
        count += 1
    return count


def contact_attempt_record(
    *,
    user: User,
    followup: FollowUp,
    channel: str,
    reached: bool | None,
    notes: str = "",
    attempted_at: datetime | None = None,
) -> ContactAttempt:
    """Log one attempt to reach the person; a reached attempt completes the follow-up.

    Raises ValidationError (field -> message) for an unknown channel, a missing `reached`, a future
    date or notes over 2000 characters; DomainError if the follow-up was cancelled.
    """
    require_diagnosis_role(user)
    now = timezone.now()
    attempted_at = attempted_at or now
    if timezone.is_naive(attempted_at):
        # A date typed without offset is local time at the deployment.
        attempted_at = timezone.make_aware(attempted_at)
    errors: dict[str, list] = {}
    if channel not in {c for c, _label in followup_config.channel_choices()}:
        errors["channel"] = [MSG_UNKNOWN_CHANNEL]
    if not isinstance(reached, bool):
        errors["reached"] = [MSG_REACHED_REQUIRED]
    if attempted_at > now + timedelta(minutes=5):
        errors["attempted_at"] = [MSG_FUTURE]
    notes = (notes or "").strip()
    if len(notes) > 2000:
        errors["notes"] = [MSG_NOTES_TOO_LONG]
    if errors:
        raise ValidationError(errors)
    if followup.status == FollowUp.Status.CANCELLED:
        raise DomainError(MSG_FOLLOWUP_CANCELLED, code="followup_cancelled")
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            followup=followup,
            channel=channel,
            reached=reached,
            notes=notes,
            attempted_at=attempted_at,
            recorded_by=user,
        )
        if reached and followup.status == FollowUp.Status.PENDING:
            followup.status = FollowUp.Status.REACHED
            followup.reached_at = attempted_at
            followup.save(update_fields=["status", "reached_at"])
        audit_record(
            user=user,
            action=AuditEntry.Action.CREATE,
            obj=attempt,
            person_id=followup.person_id,
            reception_point_id=followup.event.reception_point_id,
            detail={"channel": channel, "reached": reached},
        )
    return attempt


def _answers_from_records(
    definition: Mapping, answers: dict[str, Any], person: Person, taken_on: date
) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers completed from records where the definition says so (`derived_from`) and the
    person gave none: the economic dimension reads the job bank's recorded outcomes."""
    from retorno.employment.selectors import employment_outcome

    sources: dict[str, str] = {}
    for q in qn.questions(definition):
        if q.get("derived_from") != "employment_record" or answers.get(q["name"]) not in (None, "prefer_not"):
            continue
        outcome = employment_outcome(person.pk, taken_on)
        if outcome in {c["value"] for c in qn.choices_of(definition, q)}:
            answers = {**answers, q["name"]: outcome}
            sources[q["name"]] = "employment_record"
    return answers, sources


def survey_submit(
    *,
    user: User,
    person: Person,
    answers: Mapping[str, Any],
    followup: FollowUp | None = None,
    taken_on: date | None = None,
    questionnaire: Questionnaire | None = None,
) -> ReintegrationSurvey:
    """Record a reintegration survey and its scores (per followup.yaml's survey definition).

    Raises ValidationError (question -> messages) and saves nothing on any invalid answer.
    A survey taken at a follow-up contact marks that contact reached.
    """
    require_diagnosis_role(user)
    return _survey_record(
        user=user, person=person, answers=answers, followup=followup, taken_on=taken_on, questionnaire=questionnaire
    )


def survey_submit_by_person(*, person: Person, followup: FollowUp, answers: Mapping[str, Any]) -> ReintegrationSurvey:
    """The person's own answers, from a message link (portal.outreach): the same validation and
    scores as an officer's survey, marked self-reported and audited as the person."""
    return _survey_record(user=None, person=person, answers=answers, followup=followup)


def _survey_record(
    *,
    user: User | None,
    person: Person,
    answers: Mapping[str, Any],
    followup: FollowUp | None = None,
    taken_on: date | None = None,
    questionnaire: Questionnaire | None = None,
) -> ReintegrationSurvey:
    from retorno.followup.selectors import survey_questionnaire_current

    questionnaire = questionnaire or survey_questionnaire_current()
    taken_on = taken_on or timezone.localdate()
    errors: dict[str, list] = {}
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": [_("Las respuestas deben ser un objeto {pregunta: respuesta}.")]})
    cleaned, answer_errors = qn.validate_answers(questionnaire.definition, answers)
    errors |= answer_errors
    if taken_on > timezone.localdate():
        errors["taken_on"] = [MSG_FUTURE]
    if followup is not None and followup.person_id != person.pk:
        errors["followup_id"] = [MSG_FOLLOWUP_OTHER_PERSON]
    if errors:
        raise ValidationError(errors)
    cleaned, sources = _answers_from_records(questionnaire.definition, cleaned, person, taken_on)
    scores = scoring.compute(questionnaire.definition, cleaned)
    with transaction.atomic():
        survey = ReintegrationSurvey.objects.create(
            sources=sources,
            person=person,
            followup=followup,
            questionnaire=questionnaire,
            taken_on=taken_on,
            answers=cleaned,
            indicator_scores=scores.indicators,
            dimension_scores=scores.dimensions,
            composite=scores.composite,
            recorded_by=user,
            self_reported=user is None,
        )
        if followup is not None and followup.status == FollowUp.Status.PENDING:
            followup.status = FollowUp.Status.REACHED
            followup.reached_at = timezone.now()
            followup.save(update_fields=["status", "reached_at"])
        if user is None:
            audit_as_person(person.pk, AuditEntry.Action.CREATE, obj=survey, detail={"composite": scores.composite})
        else:
            audit_record(
                user=user,
                action=AuditEntry.Action.CREATE,
                obj=survey,
                person_id=person.pk,
                reception_point_id=followup.event.reception_point_id if followup else user.reception_point_id,
                detail={"composite": scores.composite},
            )
    return survey
