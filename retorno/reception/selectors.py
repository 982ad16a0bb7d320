"""Reading repatriation events, always through the user's scope."""

from datetime import date, timedelta

from django.db import connection
from django.db.models import QuerySet

from retorno.accounts.access import is_national, minors_only, points_in_scope, reads_personal_data
from retorno.accounts.models import User
from retorno.core.dates import local_day_start
from retorno.reception.models import RepatriationEvent


def event_list_visible(user: User) -> QuerySet[RepatriationEvent]:
    """Events the user may read: those at points in scope (national roles and admins: all);
    child-protection officers only minors' events. Empty for caseworkers and analysts."""
    events = RepatriationEvent.objects.select_related("person", "reception_point", "destination_state")
    if not reads_personal_data(user):
        return events.none()
    if minors_only(user):
        events = events.filter(minor=True)
    if is_national(user):
        return events
    return events.filter(reception_point__in=points_in_scope(user))


def event_get_visible(user: User, event_id: int) -> RepatriationEvent:
    """The event if the user may read it; raises RepatriationEvent.DoesNotExist otherwise."""
    return (
        event_list_visible(user).select_related("handover", "origin_state", "family_group").get(pk=event_id)
    )


def event_list_filtered(
    user: User,
    *,
    point: str = "",
    status: str = "",
    unaccompanied: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    person_id: int | None = None,
) -> QuerySet[RepatriationEvent]:
    """Visible events narrowed by the list filters (point code, status, dates of arrival)."""
    events = event_list_visible(user)
    if point:
        events = events.filter(reception_point__code=point)
    if status:
        events = events.filter(status=status)
    if unaccompanied is not None:
        events = events.filter(unaccompanied_minor=unaccompanied)
    # Local days as an instant range: `arrived_at__date` would wrap the indexed column in a function.
    if date_from:
        events = events.filter(arrived_at__gte=local_day_start(date_from))
    if date_to:
        events = events.filter(arrived_at__lt=local_day_start(date_to + timedelta(days=1)))
    if person_id:
        events = events.filter(person_id=person_id)
    return events


def unaccompanied_minors_worklist(user: User, *, pending_only: bool = True) -> QuerySet[RepatriationEvent]:
    """Unaccompanied minors' events of the user's scope. Awaiting handover (no handover recorded)
    come first, the child waiting longest at the top; with `pending_only=False` the ones already
    handed over follow, newest first."""
    from django.db.models import BooleanField, Case, F, Value, When

    events = event_list_visible(user).filter(unaccompanied_minor=True).select_related("handover")
    if pending_only:
        # An event cannot close before its child is handed over (reception.services), so those
        # waiting are among the open ones: a handful, found through event_pending_minor instead
        # of checking every child ever received against the handovers.
        return events.filter(status=RepatriationEvent.Status.OPEN, handover__isnull=True).order_by(
            "arrived_at", "pk"
        )
    waiting = Case(
        When(handover__isnull=True, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return events.annotate(waiting=waiting).order_by(
        F("waiting").desc(),
        Case(When(handover__isnull=True, then=F("arrived_at"))).asc(),
        F("arrived_at").desc(),
    )


def family_adults(user: User, event_id: int) -> QuerySet[RepatriationEvent]:
    """The adult arrivals of the family group of `event_id` (that event included when it is an
    adult's): who a minor registered next may be accompanied by."""
    event = RepatriationEvent.objects.filter(
        pk__in=event_list_visible(user).filter(pk=event_id).values("pk")
    ).first()
    if event is None:
        return RepatriationEvent.objects.none()
    if event.family_group_id is None:
        return event_list_visible(user).filter(pk=event.pk, minor=False)
    return (
        event_list_visible(user)
        .filter(family_group_id=event.family_group_id, minor=False)
        .order_by("arrived_at")
    )


def family_members(user: User, event: RepatriationEvent) -> QuerySet[RepatriationEvent]:
    """Other visible events of the same family group."""
    if not event.family_group_id:
        return RepatriationEvent.objects.none()
    return event_list_visible(user).filter(family_group_id=event.family_group_id).exclude(pk=event.pk)


def person_arrival_summary(person_ids: list[int]) -> dict[int, dict]:
    """Number of arrivals and last arrival (date, point name) per person, across all points.

    Used for the minimal identification of match candidates, which may be from other points.
    """
    from retorno.reference.cache import reference_snapshot

    summary: dict[int, dict] = {
        pid: {"arrivals": 0, "last_arrival": None, "last_point": "", "points": set()} for pid in person_ids
    }
    if not person_ids:
        return summary
    # Hand-written, point names from the reference snapshot: this runs on every match search
    # with candidates, and the ORM's joined values_list cost more CPU than the query itself.
    field = RepatriationEvent._meta.get_field("arrived_at")
    placeholders = ", ".join(["%s"] * len(person_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT person_id, arrived_at, reception_point_id FROM {RepatriationEvent._meta.db_table} "
            f"WHERE person_id IN ({placeholders}) ORDER BY person_id, arrived_at DESC",
            list(person_ids),
        )
        rows = cursor.fetchall()
    points = reference_snapshot().points_by_id
    converters = connection.ops.get_db_converters(field.get_col(RepatriationEvent._meta.db_table))
    for pid, arrived_at, point_id in rows:
        for convert in converters:  # SQLite returns text; time zones as the ORM would
            arrived_at = convert(arrived_at, field, connection)
        entry = summary[pid]
        if entry["arrivals"] == 0:
            point = points.get(point_id)
            entry["last_arrival"], entry["last_point"] = arrived_at, point.name if point else ""
        entry["arrivals"] += 1
        entry["points"].add(point_id)
    return summary


def document_labels(codes: list[str]) -> list[str]:
    """Names of document types in the active language (English names where the data have them)."""
    from django.utils.translation import get_language

    from retorno.reference.models import DocumentType

    english = (get_language() or "").startswith("en")
    names = {
        d.code: (d.name_en if english and d.name_en else d.name)
        for d in DocumentType.objects.filter(code__in=codes)
    }
    return [names.get(code, code) for code in codes]
