"""The retention schedule (retention.yaml) applied: what is past its period is anonymised or
removed, in one transaction, audited per category. `retention_plan()` says what would change."""

from dataclasses import dataclass, field
from datetime import date

import yaml
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.reference_loading import ReferenceDataError, deployment_file
from retorno.identity.models import Person

ANONYMISED = "ANONIMIZADO"
CATEGORIES = {"health_answers", "contact_details", "minors_records", "cancelled_records", "message_texts"}


def schedule() -> dict[str, dict]:
    data = yaml.safe_load(deployment_file("retention.yaml").read_text(encoding="utf-8")) or {}
    found = {}
    for row in data.get("categories") or []:
        if row.get("code") not in CATEGORIES or not isinstance(row.get("months"), int) or row["months"] < 0:
            raise ReferenceDataError(
                f"retention.yaml: bad category {row!r} (codes: {sorted(CATEGORIES)}, whole months)"
            )
        found[row["code"]] = row
    return found


@dataclass
class Step:
    code: str
    cutoff: date
    ids: list[int] = field(default_factory=list)


def _persons_to_anonymise(cutoff_minor: date | None, cutoff_cancelled) -> tuple[list[int], list[int]]:
    from retorno.reception.models import RepatriationEvent

    minors, cancelled = [], []
    live = Person.objects.exclude(given_names=ANONYMISED)
    if cutoff_cancelled is not None:
        cancelled = list(live.filter(blocked_at__lt=cutoff_cancelled).order_by("pk").values_list("pk", flat=True))
    if cutoff_minor is not None:
        only_minor = live.exclude(
            pk__in=RepatriationEvent.objects.filter(minor=False).values("person_id")
        ).filter(birth_date__isnull=False, birth_date__lt=cutoff_minor)
        minors = list(only_minor.order_by("pk").values_list("pk", flat=True))
    return minors, cancelled


def retention_plan(today: date | None = None) -> list[Step]:
    from retorno.diagnosis.models import Diagnosis
    from retorno.portal.models import OutboundMessage

    today = today or timezone.localdate()
    rules = schedule()
    steps = []
    if "health_answers" in rules:
        cutoff = today - relativedelta(months=rules["health_answers"]["months"])
        step = Step("health_answers", cutoff)
        step.ids = list(
            Diagnosis.objects.filter(created_at__date__lt=cutoff)
            .exclude(answers__retention_redacted=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        steps.append(step)
    if "contact_details" in rules:
        cutoff = today - relativedelta(months=rules["contact_details"]["months"])
        step = Step("contact_details", cutoff)
        step.ids = list(
            Person.objects.annotate(last=Max("events__arrived_at"))
            .filter(last__date__lt=cutoff)
            .filter(~Q(phone_mx="") | ~Q(phone_us="") | ~Q(email=""))
            .order_by("pk")  # grouped rows come in any order on PostgreSQL
            .values_list("pk", flat=True)
        )
        steps.append(step)
    cutoff_minor = cutoff_cancelled = None
    if "minors_records" in rules:
        cutoff_minor = today - relativedelta(years=18, months=rules["minors_records"]["months"])
    if "cancelled_records" in rules:
        cutoff_cancelled = timezone.now() - relativedelta(months=rules["cancelled_records"]["months"])
    minors, cancelled = _persons_to_anonymise(cutoff_minor, cutoff_cancelled)
    if cutoff_minor is not None:
        steps.append(Step("minors_records", cutoff_minor, minors))
    if cutoff_cancelled is not None:
        steps.append(Step("cancelled_records", timezone.localtime(cutoff_cancelled).date(), cancelled))
    if "message_texts" in rules:
        cutoff = today - relativedelta(months=rules["message_texts"]["months"])
        step = Step("message_texts", cutoff)
        step.ids = list(
            OutboundMessage.objects.filter(created_at__date__lt=cutoff)
            .exclude(body="")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        steps.append(step)
    return steps


def anonymise_person(person_id: int) -> None:
    """Names, national id and contact details go; what the statistics count stays (sex, birth
    state, the year of birth, and on each arrival its age, point, dates, flags)."""
    person = Person.objects.get(pk=person_id)
    person.given_names, person.first_surname, person.second_surname = ANONYMISED, "", ""
    person.curp, person.phone_mx, person.phone_us, person.email, person.indigenous_language = (
        "",
        "",
        "",
        "",
        "",
    )
    if person.birth_date:
        person.birth_date = person.birth_date.replace(month=1, day=1)
    person.contact_by_message = False
    person.save()


@transaction.atomic
def retention_apply(*, user=None, today: date | None = None) -> list[Step]:
    from retorno.diagnosis.models import Diagnosis
    from retorno.portal.models import OutboundMessage

    steps = retention_plan(today)
    sections = set(schedule().get("health_answers", {}).get("sections") or [])
    for step in steps:
        if step.code == "health_answers" and step.ids:
            for diagnosis in Diagnosis.objects.filter(pk__in=step.ids).select_related("questionnaire"):
                names = {
                    q["name"]
                    for s in diagnosis.questionnaire.definition.get("sections", [])
                    if s.get("name") in sections
                    for q in s.get("questions", [])
                }
                diagnosis.answers = {k: v for k, v in diagnosis.answers.items() if k not in names} | {
                    "retention_redacted": True
                }
                diagnosis.save(update_fields=["answers"])
        elif step.code == "contact_details" and step.ids:
            Person.objects.filter(pk__in=step.ids).update(
                phone_mx="", phone_us="", email="", contact_by_message=False
            )
        elif step.code in ("minors_records", "cancelled_records"):
            for person_id in step.ids:
                anonymise_person(person_id)
        elif step.code == "message_texts" and step.ids:
            OutboundMessage.objects.filter(pk__in=step.ids).update(body="", destination="")
        if step.ids:
            audit_record(
                user=user,
                action=AuditEntry.Action.UPDATE,
                object_type=f"retention.{step.code}",
                detail={"cutoff": step.cutoff.isoformat(), "count": len(step.ids), "ids": step.ids[:1000]},
            )
    return steps
