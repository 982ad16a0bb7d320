"""Writing the audit trail. Every read or write of a person's data calls `audit_record`."""

from typing import Any

from django.db import models

from retorno.audit.context import current
from retorno.audit.models import AuditEntry


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
    entry.save(force_insert=True)
    return entry


def audit_record_all(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append several entries built with audit_entry in one INSERT (a write that touches
    several records audits each of them without one round trip per entry)."""
    return AuditEntry.objects.bulk_create(entries) if entries else []


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
