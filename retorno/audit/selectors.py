from datetime import date, timedelta

from django.db.models import QuerySet

from retorno.accounts.access import is_national, points_in_scope
from retorno.accounts.permissions import Perm, require
from retorno.audit.models import AuditEntry
from retorno.core.dates import local_day_start


def audit_entries_visible(
    user,
    *,
    person_id: int | None = None,
    username: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries a supervisor may browse: those of their points (national supervisors: all),
    optionally of one person, user, action, and days from/to (inclusive, local dates)."""
    require(user, Perm.AUDIT_READ)
    qs = AuditEntry.objects.all()
    if not is_national(user):
        qs = qs.filter(reception_point_id__in=points_in_scope(user).values("pk"))
    if person_id:
        qs = qs.filter(person_id=person_id)
    if username:
        qs = qs.filter(username__iexact=username)
    if action:
        qs = qs.filter(action=action)
    if date_from:
        qs = qs.filter(at__gte=local_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=local_day_start(date_to + timedelta(days=1)))
    return qs


def change_history(*, object_type: str, object_id) -> QuerySet[AuditEntry]:
    """The corrections of one record, newest first: entries whose detail carries old and new
    values ({"changes": {field: [old, new]}, "reason": ...}). Shown on the record's page to users
    who may read the record (the caller checked that)."""
    return AuditEntry.objects.filter(
        object_type=object_type,
        object_id=str(object_id),
        action=AuditEntry.Action.UPDATE,
        detail__has_key="changes",
    ).order_by("-at", "-id")


def access_reviews_visible(user, *, status: str = "pending") -> QuerySet:
    """Other-point accesses by officers of the supervisor's points (national: all), pending
    first. Raises AccessDenied for roles that do not review."""
    from retorno.audit.models import AccessReview

    require(user, Perm.ACCESS_REVIEW)
    reviews = AccessReview.objects.select_related("entry", "reviewed_by")
    if not is_national(user):
        reviews = reviews.filter(reception_point_id__in=points_in_scope(user).values("pk"))
    if status:
        reviews = reviews.filter(status=status)
    return reviews.order_by("-entry__at", "-pk")
