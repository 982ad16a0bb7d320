"""Reads of the statistics app: aggregated counts only, scoped by the user's role.

Nothing here returns a person or an event: only sums of statistics.EventAggregate.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Min, Q, QuerySet, Sum

from retorno.accounts.access import is_national, points_in_scope
from retorno.accounts.models import Role, User
from retorno.accounts.permissions import Perm, can
from retorno.core.exceptions import AccessDenied
from retorno.reference.models import ReceptionPoint
from retorno.statistics.models import AgeBand, AggregateMonth, EventAggregate
from retorno.statistics.registry import Filters

AGE_GROUP_BANDS = {
    "0-11": [AgeBand.CHILD],
    "12-17": [AgeBand.ADOLESCENT],
    "18+": [AgeBand.ADULT, AgeBand.OLDER],
}

# Vulnerability flags that the reception data (and so the aggregates) can tell.
VULNERABILITY_FILTERS = {
    "unaccompanied_minor": Q(unaccompanied=True),
    "accompanied_minor": Q(unaccompanied=False, age_band__in=[AgeBand.CHILD, AgeBand.ADOLESCENT]),
    "woman": Q(sex="M"),
    "older_adult": Q(age_band=AgeBand.OLDER),
}


@dataclass(frozen=True)
class Audience:
    """Who a statistic is for: which points it covers and whether small cells are suppressed.

    `points` None = every point (national). Analysts and the public always get suppressed tables;
    supervisors and admins, who may read the underlying cases anyway, get exact counts of their
    scope.
    """

    points: tuple[int, ...] | None
    suppressed: bool

    @classmethod
    def public(cls) -> "Audience":
        return cls(points=None, suppressed=True)


def audience_for(user: User | None) -> Audience:
    """The audience of a user; raises AccessDenied for roles without internal statistics."""
    if user is None or not user.is_authenticated:
        return Audience.public()
    if not can(user, Perm.STATISTICS_READ):
        raise AccessDenied
    if user.role == Role.ANALYST and not user.is_admin_role:
        return Audience(points=None, suppressed=True)
    if is_national(user):
        return Audience(points=None, suppressed=False)
    return Audience(points=tuple(points_in_scope(user).values_list("pk", flat=True)), suppressed=False)


def points_for(audience: Audience) -> QuerySet[ReceptionPoint]:
    """Reception points the audience's tables list (in reference order: west to east, then air)."""
    points = ReceptionPoint.objects.order_by("pk")
    if audience.points is not None:
        points = points.filter(pk__in=audience.points)
    return points


def aggregate_rows(
    *, first: date, last: date, audience: Audience, filters: Filters | None = None
) -> QuerySet[EventAggregate]:
    """Aggregate rows of months first..last within the audience's points, narrowed by `filters`.

    Raises ValueError for a vulnerability flag the reception data cannot tell.
    """
    rows = EventAggregate.objects.filter(month__gte=first, month__lte=last)
    if audience.points is not None:
        rows = rows.filter(reception_point_id__in=audience.points)
    filters = filters or Filters()
    if filters.point:
        rows = rows.filter(reception_point__code=filters.point)
    if filters.state:
        rows = rows.filter(origin_state__code=filters.state)
    if filters.sex:
        rows = rows.filter(sex=filters.sex)
    if filters.age_group:
        rows = rows.filter(age_band__in=AGE_GROUP_BANDS[filters.age_group])
    if filters.vulnerability:
        if filters.vulnerability not in VULNERABILITY_FILTERS:
            raise ValueError(filters.vulnerability)
        rows = rows.filter(VULNERABILITY_FILTERS[filters.vulnerability])
    return rows


def counts_by(rows: QuerySet[EventAggregate], *dims: str) -> dict[tuple, int]:
    """Sum of events grouped by `dims` (field names of EventAggregate): {(values...): count}."""
    result: dict[tuple, int] = defaultdict(int)
    for row in rows.order_by().values(*dims).annotate(n=Sum("events")):
        result[tuple(row[d] for d in dims)] += row["n"]
    return dict(result)


def data_as_of(first: date, last: date) -> datetime | None:
    """Oldest refresh time among months first..last: the moment the figures are true at."""
    return AggregateMonth.objects.filter(month__gte=first, month__lte=last).aggregate(t=Min("refreshed_at"))[
        "t"
    ]


def aggregated_months() -> QuerySet[AggregateMonth]:
    return AggregateMonth.objects.order_by("-month")
