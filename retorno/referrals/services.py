"""Consents and the closed-loop referral life cycle. Every change is one transactional function.

States: draft -> sent -> accepted | rejected -> in progress -> completed | no-show | cancelled.
The referring side (officers, supervisors, child-protection officers of the person's point)
creates, sends and cancels; the receiving institution's caseworkers accept, reject, start and
close. Each step is one ReferralTransition row (who, when, why) and one audit entry.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, can
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.diagnosis.profile import profile_for_person
from retorno.directory.eligibility import compile_service, match
from retorno.directory.models import Institution, Service
from retorno.referrals.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Consent,
    Referral,
    ReferralTransition,
    Status,
)
from retorno.referrals.selectors import consent_valid
from retorno.referrals.sharing import shared_data_for

MSG_NO_CONSENT = _(
    "No hay consentimiento vigente de la persona para canalizarla a %(institution)s. "
    "Registre el consentimiento antes de enviar."
)
MSG_FORBIDDEN_TRANSITION = _("No se puede pasar una canalización de «%(from)s» a «%(to)s».")
MSG_REASON_REQUIRED = _("Indique el motivo del rechazo.")
MSG_OUTCOME_REQUIRED = _("Indique el resultado de la atención.")
MSG_NOT_YOUR_STEP = _("Su rol no puede hacer este cambio de estado.")
MSG_SERVICE_INACTIVE = _("El servicio no está activo; no recibe canalizaciones.")
MSG_DUPLICATE_OPEN = _("La persona ya tiene una canalización abierta a este servicio.")
MSG_ALREADY_WITHDRAWN = _("El consentimiento ya fue retirado.")
MSG_WITHDRAW_REASON = _("Indique el motivo del retiro.")
MSG_FUTURE_DATE = _("La fecha no puede ser futura.")
MSG_VALID_UNTIL = _("La vigencia debe ser posterior a la fecha del consentimiento.")
MSG_BAD_CHOICE = _("Valor no válido.")
MSG_TOO_LONG = _("Texto demasiado largo (máximo %(n)s caracteres).")

REFERRER = "referrer"
INSTITUTION = "institution"

# (from, to) -> which side may take the step.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SENT): REFERRER,
    (Status.DRAFT, Status.CANCELLED): REFERRER,
    (Status.SENT, Status.ACCEPTED): INSTITUTION,
    (Status.SENT, Status.REJECTED): INSTITUTION,
    (Status.SENT, Status.CANCELLED): REFERRER,
    (Status.ACCEPTED, Status.IN_PROGRESS): INSTITUTION,
    (Status.ACCEPTED, Status.COMPLETED): INSTITUTION,
    (Status.ACCEPTED, Status.NO_SHOW): INSTITUTION,
    (Status.ACCEPTED, Status.CANCELLED): REFERRER,
    (Status.IN_PROGRESS, Status.COMPLETED): INSTITUTION,
    (Status.IN_PROGRESS, Status.NO_SHOW): INSTITUTION,
    (Status.IN_PROGRESS, Status.CANCELLED): REFERRER,
}
MAX_TEXT = 2000


def allowed_next(referral: Referral, user: User) -> list[str]:
    """The statuses this user may move the referral to now (for buttons)."""
    return [
        to
        for (frm, to), side in TRANSITIONS.items()
        if frm == referral.status and _side_allowed(user, referral, side)
    ]


def _side_allowed(user: User, referral: Referral, side: str) -> bool:
    if user.is_admin_role:
        return True
    if side == INSTITUTION:
        return can(user, Perm.REFERRAL_RESPOND) and user.institution_id == referral.institution_id
    return can(user, Perm.REFERRAL_REFER)


def _require_referrer(user: User, person) -> None:
    """Raise unless the user is on the referring side and may read the person."""
    from retorno.identity.selectors import person_list_visible

    if not can(user, Perm.REFERRAL_REFER):
        raise AccessDenied(MSG_NOT_YOUR_STEP)
    if not person_list_visible(user).filter(pk=person.pk).exists():
        raise AccessDenied


def _text(field: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError({field: MSG_TOO_LONG % {"n": MAX_TEXT}})
    return value


def _point_for(user: User, person):
    if user.reception_point_id:
        return user.reception_point
    from retorno.reception.models import RepatriationEvent

    event = RepatriationEvent.objects.filter(person=person).order_by("-arrived_at").first()
    return event.reception_point if event else None


# ---- consent -------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    user: User,
    person,
    institution: Institution,
    purpose: str,
    method: str,
    given_on: date | None = None,
    valid_until: date | None = None,
    document=None,
) -> Consent:
    """Record a person's informed consent for one institution and purpose. Returns the consent."""
    _require_referrer(user, person)
    today = timezone.localdate()
    given_on = given_on or today
    errors = {}
    if purpose not in Consent.Purpose.values:
        errors["purpose"] = MSG_BAD_CHOICE
    if method not in Consent.Method.values:
        errors["method"] = MSG_BAD_CHOICE
    if given_on > today:
        errors["given_on"] = MSG_FUTURE_DATE
    if valid_until is not None and valid_until < given_on:
        errors["valid_until"] = MSG_VALID_UNTIL
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        person=person,
        institution=institution,
        purpose=purpose,
        method=method,
        given_on=given_on,
        valid_until=valid_until,
        recorded_by=user,
        reception_point=_point_for(user, person),
    )
    if document:
        consent.document = document
    consent.full_clean()
    consent.save()
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=consent,
        person_id=person.pk,
        reception_point_id=consent.reception_point_id,
        detail={"institution": institution.code, "purpose": purpose, "method": method},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, consent: Consent, reason: str) -> Consent:
    """Withdraw a consent: new referrals to that institution can no longer be sent."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    _require_referrer(user, consent.person)
    if consent.withdrawn_at is not None:
        raise DomainError(MSG_ALREADY_WITHDRAWN, code="consent_withdrawn")
    reason = _text("reason", reason)
    if not reason:
        raise ValidationError({"reason": MSG_WITHDRAW_REASON})
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = user
    consent.withdrawal_reason = reason[:300]
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        user=user,
        action=AuditEntry.Action.REVOKE,
        obj=consent,
        person_id=consent.person_id,
        reception_point_id=consent.reception_point_id,
        detail={"institution": consent.institution.code, "purpose": consent.purpose},
    )
    return consent


# ---- referrals -----------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    user: User,
    person,
    service: Service,
    note: str = "",
    reasons: list[str] | None = None,
    send: bool = False,
) -> Referral:
    """Create a draft referral of `person` to `service` (and send it when `send`)."""
    _require_referrer(user, person)
    note = _text("note", note)
    if service.status != Service.Status.ACTIVE or not service.institution.active:
        raise DomainError(MSG_SERVICE_INACTIVE, code="service_inactive")
    if Referral.objects.filter(
        person=person,
        service=service,
        status__in=OPEN_STATUSES,
    ).exists():
        raise DomainError(MSG_DUPLICATE_OPEN, code="duplicate_referral")
    profile = profile_for_person(person)
    with translation.override(settings.LANGUAGE_CODE):
        verdict = match(profile, [compile_service(service)])
        found = verdict.eligible or verdict.excluded
        reasons = (
            [r.text for r in found[0].reasons]
            if verdict.eligible
            else [str(_("No cumple: %(why)s") % {"why": r.text}) for r in found[0].reasons]
        )
    referral = Referral.objects.create(
        person=person,
        service=service,
        institution=service.institution,
        reception_point=_point_for(user, person),
        priority=profile.priority,
        note=note,
        reasons=reasons,
        created_by=user,
    )
    ReferralTransition.objects.create(
        referral=referral, from_status="", to_status=Status.DRAFT, by=user, by_username=user.get_username()
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.CREATE,
        obj=referral,
        person_id=person.pk,
        reception_point_id=referral.reception_point_id,
        detail={"service": service.code},
    )
    if send:
        referral = referral_transition(user=user, referral=referral, to_status=Status.SENT)
    return referral


@transaction.atomic
def referral_transition(
    *, user: User, referral: Referral, to_status: str, note: str = "", reason: str = "", outcome: str = ""
) -> Referral:
    """Move a referral to `to_status`.

    Raises DomainError for a step the state machine forbids or a send without valid consent,
    AccessDenied when the user's side may not take the step, ValidationError when a rejection
    has no reason or a completion no outcome. Returns the updated referral.
    """
    referral = (
        Referral.objects.select_for_update()
        .select_related("service", "institution", "person")
        .get(pk=referral.pk)
    )
    frm = referral.status
    if to_status not in Status.values or (frm, to_status) not in TRANSITIONS:
        raise DomainError(
            MSG_FORBIDDEN_TRANSITION
            % {
                "from": Status(frm).label,
                "to": Status(to_status).label if to_status in Status.values else str(to_status)[:30],
            },
            code="forbidden_transition",
        )
    side = TRANSITIONS[(frm, to_status)]
    if side == REFERRER:
        _require_referrer(user, referral.person)
        from retorno.referrals.selectors import referral_list_visible

        if not referral_list_visible(user).filter(pk=referral.pk).exists():
            raise AccessDenied
    elif not _side_allowed(user, referral, side):
        raise AccessDenied(MSG_NOT_YOUR_STEP)

    note, reason, outcome = _text("note", note), _text("reason", reason), _text("outcome", outcome)
    now = timezone.now()
    if to_status == Status.SENT:
        if consent_valid(referral.person_id, referral.institution_id, Consent.Purpose.REFERRAL) is None:
            raise DomainError(MSG_NO_CONSENT % {"institution": referral.institution}, code="no_consent")
        profile = profile_for_person(referral.person)
        referral.shared_data = shared_data_for(
            person=referral.person, profile=profile, service=referral.service
        )
        referral.sent_at = now
        referral.response_due_at = now + timedelta(days=referral.service.response_days)
    elif to_status == Status.REJECTED:
        if not reason:
            raise ValidationError({"reason": MSG_REASON_REQUIRED})
        referral.rejection_reason = reason
        referral.responded_at = now
    elif to_status == Status.ACCEPTED:
        referral.responded_at = now
        referral.outcome_due_at = now + timedelta(days=referral.service.outcome_days)
    elif to_status == Status.COMPLETED:
        if not outcome:
            raise ValidationError({"outcome": MSG_OUTCOME_REQUIRED})
        referral.outcome = outcome
    if frm == Status.SENT and to_status == Status.CANCELLED:
        referral.responded_at = None
    if to_status in CLOSED_STATUSES:
        referral.closed_at = now
    referral.status = to_status
    referral.save()
    ReferralTransition.objects.create(
        referral=referral,
        from_status=frm,
        to_status=to_status,
        at=now,
        by=user,
        by_username=user.get_username(),
        note=note or reason or outcome,
    )
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=referral,
        person_id=referral.person_id,
        reception_point_id=referral.reception_point_id,
        detail={"from": frm, "to": to_status},
    )
    return referral
