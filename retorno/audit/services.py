"""Writing the audit trail. Every read or write of a person's data calls `audit_record`, and every
list that shows personal data calls `audit_list_read` (through core.pagination)."""

from typing import Any

from django.db import models

from retorno.audit.context import current
from retorno.audit.models import AuditEntry, AuditEntryPerson
from retorno.core.db import insert_all

# Most persons one list-read entry records one by one (a page is at most 200 rows).
MAX_PERSONS_PER_ENTRY = 500


def audit_entry(
    *,
    user,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    person_id: int | None = None,
    reception_point_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """One unsaved audit entry with the request context (IP, path, channel); `obj` fills
    object_type/object_id when given. Save it with audit_record_all, or use audit_record."""
    if action not in AuditEntry.Action.values:
        # PostgreSQL would refuse a long one at INSERT; SQLite would store anything: fail alike.
        raise ValueError(f"unknown audit action {action!r}")
    ctx = current.get()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        role=getattr(user, "role", "") if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        person_id=person_id,
        reception_point_id=reception_point_id,
        detail=detail or {},
        ip=ctx.ip,
        path=ctx.path,
        channel=ctx.channel,
    )


def audit_record(**kwargs) -> AuditEntry:
    """Append one audit entry (arguments of audit_entry) and return it."""
    entry = audit_entry(**kwargs)
    insert_all([entry])
    return entry


RETURNEE_ROLE = "returnee"


def audit_as_person(person_id: int, action: str, *, obj=None, object_type: str = "", detail: dict | None = None) -> AuditEntry:
    """An entry whose actor is the person themself (the returnee's portal and message links have
    no staff user): username "persona:<id>", role "returnee"."""
    entry = audit_entry(user=None, action=action, obj=obj, object_type=object_type, person_id=person_id, detail=detail)
    entry.username, entry.role = f"persona:{person_id}", RETURNEE_ROLE
    entry.channel = entry.channel or "portal"
    insert_all([entry])
    return entry


def audit_record_all(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append several entries built with audit_entry in one INSERT (a write that touches
    several records audits each of them without one round trip per entry)."""
    if entries:
        insert_all(entries)
    return entries


def audit_search(*, user, object_type: str, detail: dict[str, Any] | None = None) -> AuditEntry:
    """Record a search or list over personal data (what was asked, which ids were shown), at the
    user's own point."""
    return audit_record(
        user=user,
        action=AuditEntry.Action.SEARCH,
        object_type=object_type,
        reception_point_id=getattr(user, "reception_point_id", None),
        detail=detail,
    )


def holds_personal_data(obj) -> bool:
    """Models say so with a class attribute PERSONAL_DATA = True (person, event, referral...)."""
    return bool(getattr(type(obj), "PERSONAL_DATA", False))


def _persons_of(obj) -> list[int]:
    """The persons a record is about: itself, its person_id, or what the model says
    (`audit_person_ids()`, e.g. both persons of a possible duplicate)."""
    if obj._meta.label_lower == "identity.person":
        return [obj.pk]
    if hasattr(obj, "audit_person_ids"):
        return [p for p in obj.audit_person_ids() if p is not None]
    person_id = getattr(obj, "person_id", None)
    if person_id is None and getattr(obj, "event_id", None) and "event" in obj._state.fields_cache:
        person_id = obj.event.person_id  # a constancia: its event is loaded with it
    return [person_id] if person_id is not None else []


def audit_list_read(*, user, objects: list, detail: dict[str, Any] | None = None) -> AuditEntry | None:
    """Audit a page of records shown in a list, when they hold personal data: one entry with the
    records' ids, and one row per person shown (so that 'who saw this person' includes lists).
    Returns the entry, or None when nothing personal was shown."""
    if not objects or user is None or not getattr(user, "is_authenticated", False):
        return None
    first = objects[0]
    if not hasattr(first, "_meta") or not holds_personal_data(first):
        return None
    persons = sorted({p for o in objects for p in _persons_of(o)})[:MAX_PERSONS_PER_ENTRY]
    entry = audit_search(
        user=user,
        object_type=first._meta.label_lower,
        detail={**(detail or {}), "shown": [o.pk for o in objects][:MAX_PERSONS_PER_ENTRY]},
    )
    AuditEntryPerson.objects.bulk_create([AuditEntryPerson(entry=entry, person_id=p) for p in persons])
    return entry


def access_review_decide(*, user, review_id: int, status: str, note: str = ""):
    """A supervisor marks an other-point access as justified or inappropriate (audited).
    Raises AccessReview.DoesNotExist outside the supervisor's points, ValidationError for an
    unknown status."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from retorno.audit.models import AccessReview
    from retorno.audit.selectors import access_reviews_visible

    if status not in (AccessReview.Status.JUSTIFIED, AccessReview.Status.INAPPROPRIATE):
        raise ValidationError({"status": [_("Elija justificado o indebido.")]})
    with transaction.atomic():
        review = access_reviews_visible(user, status="").select_for_update().get(pk=review_id)
        review.status, review.review_note = status, " ".join(note.split())[:300]
        review.reviewed_by, review.reviewed_at = user, timezone.now()
        review.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
        audit_record(
            user=user,
            action=AuditEntry.Action.UPDATE,
            obj=review,
            person_id=review.person_id,
            reception_point_id=review.reception_point_id,
            detail={"status": status},
        )
    return review
