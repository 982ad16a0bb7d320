"""Filing and deciding data-rights requests, and what a granted request does.

- access: the complete record (JSON and PDF), kept with the request for the person to download;
- rectification: applied as an identity correction (identity.person_correct), with its history;
- cancellation: the record is blocked from every use and search (Person.blocked_at); the
  retention schedule anonymises it when its period ends;
- opposition: stops the purpose named: follow-up contact (messages and calls), data sharing
  (consents to institutions withdrawn), statistics beyond the legal minimum (the person's
  reintegration surveys leave the score statistics; arrival counts, the legal minimum, stay).
Statistics already published are unaffected: they are aggregates computed before.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_as_person, audit_record
from retorno.core.exceptions import DomainError
from retorno.identity.models import Person
from retorno.identity.selectors import person_get_visible
from retorno.rights.config import add_working_days, rights_config
from retorno.rights.models import DataRightsRequest
from retorno.rights.record import personal_record, record_json, record_pdf

MSG_KIND = _("Elija el derecho que quiere ejercer.")
MSG_PURPOSE = _("Elija la finalidad a la que se opone.")
MSG_CHANGES = _("Diga qué dato está mal y cuál es el correcto.")
MSG_TOO_LONG = _("Texto demasiado largo (máximo %(n)s caracteres).")
MSG_DECIDED = _("La solicitud ya fue resuelta.")
MSG_REASON = _("Explique por qué no procede.")
MSG_OPEN_SAME = _("Ya hay una solicitud igual en curso.")
RECTIFIABLE = ("given_names", "first_surname", "second_surname", "birth_date", "sex", "curp", "birth_state")
MAX_TEXT = 2000


def _clean(kind: str, details: str, changes: dict | None, purpose: str) -> tuple[str, dict, str]:
    errors: dict[str, Any] = {}
    details = (details or "").strip()
    if kind not in DataRightsRequest.Kind.values:
        errors["kind"] = MSG_KIND
    if len(details) > MAX_TEXT:
        errors["details"] = MSG_TOO_LONG % {"n": MAX_TEXT}
    changes = {
        k: str(v).strip()[:120] for k, v in (changes or {}).items() if k in RECTIFIABLE and str(v).strip()
    }
    if kind == DataRightsRequest.Kind.RECTIFICATION and not changes and not details:
        errors["changes"] = MSG_CHANGES
    if kind == DataRightsRequest.Kind.OPPOSITION and purpose not in rights_config()["purposes"]:
        errors["purpose"] = MSG_PURPOSE
    if errors:
        raise ValidationError(errors)
    return details, changes, purpose if kind == DataRightsRequest.Kind.OPPOSITION else ""


def _create(
    person: Person, kind: str, details: str, changes: dict, purpose: str, *, channel: str, filed_by: str
) -> DataRightsRequest:
    if DataRightsRequest.objects.filter(
        person=person, kind=kind, purpose=purpose, status="received"
    ).exists():
        raise DomainError(MSG_OPEN_SAME, code="duplicate_request")
    now = timezone.now()
    return DataRightsRequest.objects.create(
        person=person,
        kind=kind,
        channel=channel,
        filed_by=filed_by,
        filed_at=now,
        due_on=add_working_days(timezone.localtime(now).date(), rights_config()["days"]),
        details=details,
        changes=changes,
        purpose=purpose,
    )


@transaction.atomic
def request_file_by_person(
    *, person: Person, kind: str, details: str = "", changes: dict | None = None, purpose: str = ""
) -> DataRightsRequest:
    """The person files a request in the portal."""
    details, changes, purpose = _clean(kind, details, changes, purpose)
    request = _create(
        person, kind, details, changes, purpose, channel="portal", filed_by=f"persona:{person.pk}"
    )
    audit_as_person(person.pk, AuditEntry.Action.CREATE, obj=request, detail={"kind": kind})
    return request


@transaction.atomic
def request_file(
    *,
    user: User,
    person_id: int,
    kind: str,
    details: str = "",
    changes: dict | None = None,
    purpose: str = "",
) -> DataRightsRequest:
    """An officer files a request on the person's behalf (at the desk)."""
    require(user, Perm.RIGHTS_FILE)
    person = person_get_visible(user, person_id)
    details, changes, purpose = _clean(kind, details, changes, purpose)
    request = _create(person, kind, details, changes, purpose, channel="desk", filed_by=user.get_username())
    audit_record(
        user=user, action=AuditEntry.Action.CREATE, obj=request, person_id=person.pk, detail={"kind": kind}
    )
    return request


@transaction.atomic
def request_decide(
    *, user: User, request: DataRightsRequest, grant: bool, note: str = ""
) -> DataRightsRequest:
    """The supervisor's decision; a granted request takes effect in the same transaction."""
    require(user, Perm.RIGHTS_REVIEW)
    request = DataRightsRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    from retorno.rights.selectors import requests_visible

    requests_visible(user).get(pk=request.pk)  # the supervisor of the person's point (404 otherwise)
    if not request.open:
        raise DomainError(MSG_DECIDED, code="already_decided")
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise ValidationError({"note": MSG_TOO_LONG % {"n": MAX_TEXT}})
    if not grant and not note:
        raise ValidationError({"note": MSG_REASON})
    if grant:
        _apply(user, request)
    request.status = DataRightsRequest.Status.GRANTED if grant else DataRightsRequest.Status.DENIED
    request.decided_at, request.decided_by, request.decision_note = timezone.now(), user.get_username(), note
    request.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=request,
        person_id=request.person_id,
        detail={"status": request.status},
    )
    return request


def _apply(user: User, request: DataRightsRequest) -> None:
    person = request.person
    kind = request.kind
    if kind == DataRightsRequest.Kind.ACCESS:
        record = personal_record(person)
        request.package_json = record_json(record)
        request.package_pdf = record_pdf(
            record, title=f"Expediente de {person.full_name} · solicitud #{request.pk}"
        )
    elif kind == DataRightsRequest.Kind.RECTIFICATION and request.changes:
        from retorno.identity.services import person_correct

        person_correct(
            user=user, person_id=person.pk, changes=request.changes, reason=f"Solicitud ARCO #{request.pk}"
        )
    elif kind == DataRightsRequest.Kind.CANCELLATION:
        Person.objects.filter(pk=person.pk).update(blocked_at=timezone.now(), contact_by_message=False)
    elif kind == DataRightsRequest.Kind.OPPOSITION:
        _oppose(user, person, request.purpose)


def _oppose(user: User, person: Person, purpose: str) -> None:
    if purpose == "followup_contact":
        from retorno.followup.models import FollowUp

        Person.objects.filter(pk=person.pk).update(
            contact_by_message=False, messages_opted_out_at=timezone.now()
        )
        FollowUp.objects.filter(person=person, status=FollowUp.Status.PENDING).update(
            status=FollowUp.Status.CANCELLED
        )
    elif purpose == "statistics_extended":
        Person.objects.filter(pk=person.pk).update(statistics_opt_out_at=timezone.now())
    elif purpose == "data_sharing":
        from retorno.referrals.models import Consent

        Consent.objects.filter(person=person, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=user, withdrawal_reason="Oposición (ARCO)"
        )


def deadline_reminders() -> int:
    """E-mail the supervisors who can decide each open request that is due within
    `remind_days_before` (once per request). Returns how many requests were reminded."""
    from datetime import timedelta

    from django.conf import settings
    from django.core.mail import send_mail
    from django.db.models import Q

    from retorno.accounts.models import Role
    from retorno.reception.models import RepatriationEvent

    soon = timezone.localdate() + timedelta(days=rights_config()["remind"])
    due = DataRightsRequest.objects.filter(status="received", reminded_at__isnull=True, due_on__lte=soon)
    reminded = 0
    for request in due:
        points = RepatriationEvent.objects.filter(person_id=request.person_id).values("reception_point_id")
        states = RepatriationEvent.objects.filter(person_id=request.person_id).values(
            "reception_point__state_id"
        )
        to = sorted(
            User.objects.filter(role=Role.SUPERVISOR, is_active=True)
            .filter(
                Q(reception_point__in=points)
                | Q(state__in=states)
                | Q(reception_point__isnull=True, state__isnull=True)
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if to:
            send_mail(
                f"Retorno: solicitud ARCO #{request.pk} vence el {request.due_on:%d/%m/%Y}",
                f"La solicitud #{request.pk} ({request.get_kind_display()}) vence el {request.due_on:%d/%m/%Y}. "
                f"Resuélvala en {settings.RETORNO_PUBLIC_URL.rstrip('/')}/rights/{request.pk}/",
                settings.DEFAULT_FROM_EMAIL,
                to,
                fail_silently=True,
            )
        DataRightsRequest.objects.filter(pk=request.pk).update(reminded_at=timezone.now())
        reminded += 1
    return reminded
