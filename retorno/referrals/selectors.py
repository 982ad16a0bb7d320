"""Reading consents and referrals, always through the user's role and scope.

Referring side (reception officers, supervisors, child-protection officers): referrals made at a
reception point in their scope. Institution side (caseworkers): referrals sent to their own
institution, never drafts, never anything else. Analysts: nothing.
"""

from datetime import datetime

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.accounts.access import is_national, minors_only, points_in_scope
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, can
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.referrals.models import OPEN_STATUSES, Consent, Referral, Status


def overdue_q(now: datetime | None = None) -> Q:
    """Sent and not answered within the service's response deadline, or accepted / in progress
    past the outcome deadline."""
    now = now or timezone.now()
    return Q(status=Status.SENT, response_due_at__lt=now) | Q(
        status__in=[Status.ACCEPTED, Status.IN_PROGRESS], outcome_due_at__lt=now
    )


def with_overdue(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.annotate(
        overdue=Case(When(overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def referral_list_visible(user: User) -> QuerySet[Referral]:
    """Referrals the user may read, newest first, with an `overdue` annotation."""
    referrals = Referral.objects.select_related("service", "institution", "reception_point", "person")
    if not user.is_authenticated:
        return with_overdue(referrals.none())  # annotated like the others: callers order by it
    if user.is_admin_role:
        pass
    elif can(user, Perm.REFERRAL_RESPOND):
        referrals = referrals.filter(institution_id=user.institution_id).exclude(status=Status.DRAFT)
    elif can(user, Perm.REFERRAL_REFER):
        if not is_national(user):
            referrals = referrals.filter(reception_point__in=points_in_scope(user))
        if minors_only(user):
            from retorno.identity.selectors import person_list_visible

            referrals = referrals.filter(person__in=person_list_visible(user))
    else:
        return with_overdue(referrals.none())
    return with_overdue(referrals)


def referral_list_filtered(
    user: User,
    *,
    status: str = "",
    overdue: bool | None = None,
    institution: str = "",
    person_id: int | None = None,
) -> QuerySet[Referral]:
    referrals = referral_list_visible(user)
    if status:
        referrals = referrals.filter(status=status)
    if overdue is True:
        referrals = referrals.filter(overdue_q())
    elif overdue is False:
        referrals = referrals.exclude(overdue_q())
    if institution:
        referrals = referrals.filter(institution__code=institution)
    if person_id is not None:
        referrals = referrals.filter(person_id=person_id)
    return referrals


def referral_list_pending_for_user(user: User) -> QuerySet[Referral]:
    """Referrals waiting for this user's action.

    Caseworkers: sent, accepted or in-progress referrals to their institution. Officers and
    supervisors (and child-protection officers): their points' referrals that are overdue or
    awaiting an outcome (sent, accepted, in progress). Others: none.
    """
    referrals = referral_list_visible(user)
    if can(user, Perm.REFERRAL_RESPOND) and not user.is_admin_role:
        return referrals.filter(status__in=[Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS])
    if can(user, Perm.REFERRAL_REFER):
        return referrals.filter(
            overdue_q() | Q(status__in=[Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS])
        )
    return referrals.none()


def referral_read(user: User, referral_id: int) -> Referral:
    """The referral if visible to the user (else Referral.DoesNotExist, a 404). Audited as a read
    of the person's data: for caseworkers this is the only way to reach it."""
    referral = referral_list_visible(user).get(pk=referral_id)
    audit_record(
        user=user,
        action=AuditEntry.Action.VIEW,
        obj=referral,
        person_id=referral.person_id,
        reception_point_id=referral.reception_point_id,
        detail={"fields": sorted(referral.shared_data)} if can(user, Perm.REFERRAL_RESPOND) else {},
    )
    return referral


def consent_list_for_person(person_id: int) -> QuerySet[Consent]:
    return Consent.objects.filter(person_id=person_id).select_related("institution", "recorded_by")


def consent_valid(person_id: int, institution_id: int, purpose: str) -> Consent | None:
    """The newest valid consent, or None."""
    today = timezone.localdate()
    return (
        Consent.objects.filter(
            person_id=person_id, institution_id=institution_id, purpose=purpose, withdrawn_at__isnull=True
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("-recorded_at", "-id")
        .first()
    )


def consent_status_by_institution(person_id: int) -> dict[int, dict[str, Consent | None]]:
    """{institution_id: {purpose: newest valid consent or None}} for every consent recorded."""
    status: dict[int, dict[str, Consent | None]] = {}
    for consent in consent_list_for_person(person_id).order_by("recorded_at", "id"):
        slot = status.setdefault(consent.institution_id, {p: None for p in Consent.Purpose.values})
        if consent.is_valid():
            slot[consent.purpose] = consent
    return status


def service_places_taken_this_month(service_ids: list[int]) -> dict[int, int]:
    """{service id: referrals accepted this calendar month} (accepted, in progress, completed or
    no-show), to set against the service's monthly capacity."""
    from django.db.models import Count

    today = timezone.localdate()
    start = timezone.make_aware(datetime(today.year, today.month, 1))
    rows = (
        Referral.objects.filter(service_id__in=service_ids, responded_at__gte=start)
        .filter(status__in=[Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW])
        .values("service_id")
        .annotate(n=Count("id"))
    )
    return {r["service_id"]: r["n"] for r in rows}


def open_referrals_by_service(person_id: int) -> dict[int, Referral]:
    """The person's referrals still open (draft to in progress), by service: the page marks
    those services instead of offering a second referral the service would refuse."""
    return {
        r.service_id: r
        for r in Referral.objects.filter(person_id=person_id, status__in=OPEN_STATUSES).order_by("created_at")
    }


def contact_gaps(person) -> list[str]:
    """What an institution would miss to reach the person (no phone, no place of destination at
    the last arrival), in words for a warning before a referral is sent."""
    gaps = []
    if not (person.phone_mx or person.phone_us):
        gaps.append(_("no hay teléfono"))
    last = person.events.order_by("-arrived_at").only("destination_state_id", "destination_municipality").first()
    if last is None or not (last.destination_state_id or last.destination_municipality):
        gaps.append(_("no hay lugar de destino"))
    return gaps
