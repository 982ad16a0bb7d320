"""Filing a grievance (the person in the portal, optionally anonymous, or an officer at the desk)
and its handling: acknowledgement, answer, closure, each audited. Routing is by category:
the supervisors of the point where the person was received, or (human-rights matters) national
supervisors only, never the point's own staff."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_as_person, audit_record
from retorno.core.exceptions import DomainError
from retorno.grievances.config import grievances_config
from retorno.grievances.models import Grievance
from retorno.identity.models import Person
from retorno.rights.config import add_working_days

MSG_KIND = _("Elija si es una queja, una sugerencia o un agradecimiento.")
MSG_CATEGORY = _("Elija el tema.")
MSG_TEXT = _("Cuéntenos qué pasó (entre 10 y 4000 caracteres).")
MSG_ANSWER = _("Escriba la respuesta.")
MSG_STEP = _("Ese paso no corresponde al estado de la queja.")


def _point_of(person: Person | None):
    from retorno.reception.models import RepatriationEvent

    if person is None:
        return None
    event = RepatriationEvent.objects.filter(person=person).order_by("-arrived_at").first()
    return event.reception_point if event else None


def _new(*, person, anonymous: bool, point, kind: str, category: str, text: str, channel: str) -> Grievance:
    config = grievances_config()
    errors = {}
    text = (text or "").strip()
    if kind not in Grievance.Kind.values:
        errors["kind"] = MSG_KIND
    if category not in config["categories"]:
        errors["category"] = MSG_CATEGORY
    if not 10 <= len(text) <= 4000:
        errors["text"] = MSG_TEXT
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    return Grievance.objects.create(
        person=None if anonymous else person,
        anonymous=anonymous,
        reception_point=point,
        kind=kind,
        category=category,
        route=config["categories"][category]["route"],
        text=text,
        channel=channel,
        acknowledge_by=add_working_days(today, config["acknowledge_days"]),
        answer_by=add_working_days(today, config["answer_days"]),
    )


@transaction.atomic
def grievance_file_by_person(
    *, person: Person, kind: str, category: str, text: str, anonymous: bool = False
) -> Grievance:
    """From the portal. Anonymous: no link to the person is kept (only the point, for routing and
    statistics) and the audit trail does not name them either."""
    grievance = _new(
        person=person,
        anonymous=anonymous,
        point=_point_of(person),
        kind=kind,
        category=category,
        text=text,
        channel="portal",
    )
    if not anonymous:
        audit_as_person(person.pk, AuditEntry.Action.CREATE, obj=grievance, detail={"category": category})
    return grievance


@transaction.atomic
def grievance_file(
    *, user: User, kind: str, category: str, text: str, person: Person | None = None, anonymous: bool = False
) -> Grievance:
    """At the desk, on the person's behalf (or anonymously), about the officer's point."""
    require(user, Perm.GRIEVANCE_FILE)
    grievance = _new(
        person=person, anonymous=anonymous or person is None, point=user.reception_point or _point_of(person),
        kind=kind, category=category, text=text, channel="desk",
    )  # fmt: skip
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=grievance,
        person_id=grievance.person_id,
        reception_point_id=grievance.reception_point_id,
    )
    return grievance


@transaction.atomic
def grievance_step(*, user: User, grievance: Grievance, step: str, answer: str = "") -> Grievance:
    """acknowledge -> answer -> close, by whoever the grievance is routed to."""
    from retorno.grievances.selectors import grievances_visible

    require(user, Perm.GRIEVANCE_HANDLE)
    grievance = grievances_visible(user).select_for_update().get(pk=grievance.pk)
    now = timezone.now()
    allowed = {
        "acknowledge": (Grievance.Status.RECEIVED,),
        "answer": (Grievance.Status.RECEIVED, Grievance.Status.ACKNOWLEDGED),
        "close": (Grievance.Status.ANSWERED,),
    }
    if grievance.status not in allowed.get(step, ()):
        raise DomainError(MSG_STEP, code="forbidden_step")
    if step == "acknowledge":
        grievance.status, grievance.acknowledged_at = Grievance.Status.ACKNOWLEDGED, now
    elif step == "answer":
        answer = (answer or "").strip()
        if not answer or len(answer) > 4000:
            raise ValidationError({"answer": MSG_ANSWER})
        grievance.status, grievance.answer, grievance.answered_at, grievance.answered_by = (
            Grievance.Status.ANSWERED,
            answer,
            now,
            user.get_username(),
        )
        grievance.acknowledged_at = grievance.acknowledged_at or now
    else:
        grievance.status, grievance.closed_at = Grievance.Status.CLOSED, now
    grievance.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=grievance,
        person_id=grievance.person_id,
        reception_point_id=grievance.reception_point_id,
        detail={"step": step},
    )
    return grievance
