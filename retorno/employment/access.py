"""Which employment records a user reaches. The referring side (officers, supervisors, child
protection) reaches the persons of its points, as everywhere; the job bank's caseworkers reach a
returnee only while the returnee's consent to the job bank (purpose "job_matching") is valid, and
see their employment data only. Employers have no account: what they receive is the application's
shared snapshot, sent with that consent."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from retorno.accounts.models import Role, User
from retorno.accounts.permissions import Perm, can
from retorno.identity.models import Person
from retorno.identity.selectors import person_list_visible


def is_job_bank(user: User) -> bool:
    """A caseworker of the job bank's institution (or an administrator)."""
    from retorno.employment.rules import programmes

    if user.is_admin_role:
        return True
    return (
        user.role == Role.CASEWORKER
        and user.institution_id is not None
        and user.institution.code == programmes().job_bank_institution
    )


def is_support_approver(user: User) -> bool:
    from retorno.employment.rules import programmes

    support = programmes().support
    if user.is_admin_role:
        return True
    return (
        support is not None
        and user.role == Role.CASEWORKER
        and user.institution_id is not None
        and user.institution.code == support.approver_institution
    )


def job_matching_consent_valid() -> Exists:
    """Whether the person (OuterRef pk) has a valid consent to the job bank."""
    from retorno.employment.rules import programmes
    from retorno.referrals.models import Consent

    today = timezone.localdate()
    return Exists(
        Consent.objects.filter(
            person=OuterRef("pk"),
            institution__code=programmes().job_bank_institution,
            purpose=Consent.Purpose.JOB_MATCHING,
            withdrawn_at__isnull=True,
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    )


def employment_persons_visible(user: User) -> QuerySet[Person]:
    """Persons whose employment records the user may read."""
    if not can(user, Perm.EMPLOYMENT_PERSON):
        return Person.objects.none()
    if user.is_admin_role or can(user, Perm.PERSON_READ):
        return person_list_visible(user)
    if is_job_bank(user) or is_support_approver(user):
        return Person.objects.filter(merged_into__isnull=True, blocked_at__isnull=True).filter(
            job_matching_consent_valid()
        )
    return Person.objects.none()
