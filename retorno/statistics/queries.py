"""Indicator queries over reception data, registered by name (see registry.py).

Counts over whole calendar months read the pre-aggregates (fast, "datos al" their refresh time);
other periods, persons over several months, and vulnerability flags the aggregates do not hold
are computed from the events directly. All return aggregates, never personal data, and are
national and unsuppressed: callers that publish apply `indicator_value` below.

Reintegration indicators (referrals, follow-up) plug in the same way: a module that registers more
queries with @indicator and is listed in registry.QUERY_MODULES.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext_lazy as _

from retorno.core.dates import local_days_range
from retorno.reception.models import RepatriationEvent
from retorno.reference.models import State
from retorno.reference.rules import older_adult_age
from retorno.statistics import disclosure
from retorno.statistics.aggregates import months_between
from retorno.statistics.models import AgeBand
from retorno.statistics.registry import Filters, Period, available, compute, indicator
from retorno.statistics.selectors import VULNERABILITY_FILTERS, Audience, aggregate_rows, counts_by
from retorno.statistics.services import aggregates_ensure

NATIONAL = Audience(points=None, suppressed=False)
# Flags computable from events (beyond those the aggregates hold). Others come from the diagnosis.
LIVE_ONLY_FLAGS = {"indigenous", "no_documents"}
SUPPORTED_FLAGS = set(VULNERABILITY_FILTERS) | LIVE_ONLY_FLAGS
AGE_GROUPS = {"0-11": (0, 11), "12-17": (12, 17), "18+": (18, 200)}  # age_at_arrival, inclusive


def _whole_months(period: Period) -> tuple[date, date] | None:
    """(first, last) months when the period is made of whole calendar months, else None."""
    last_day = calendar.monthrange(period.end.year, period.end.month)[1]
    if period.start.day != 1 or period.end.day != last_day or period.start > period.end:
        return None
    return period.start, period.end.replace(day=1)


def _cube(period: Period, filters: Filters):
    """Aggregate rows for the period and filters, or None when only the events can answer."""
    months = _whole_months(period)
    if months is None or filters.vulnerability in LIVE_ONLY_FLAGS:
        return None
    aggregates_ensure(months=months_between(*months))
    return aggregate_rows(first=months[0], last=months[1], audience=NATIONAL, filters=filters)


def live_events(period: Period, filters: Filters) -> QuerySet[RepatriationEvent]:
    """Events of the period (local dates, inclusive) matching the filters, counted by the same
    rules as the aggregates (see aggregates.py)."""
    start, end = local_days_range(period.start, period.end)
    return narrow_events(
        resolved_events(RepatriationEvent.objects.filter(arrived_at__gte=start, arrived_at__lt=end)), filters
    )


def resolved_events(events: QuerySet[RepatriationEvent]) -> QuerySet[RepatriationEvent]:
    """`events` annotated with the merge-resolved person, sex and state of origin (st_*)."""
    return events.annotate(
        st_person=Coalesce(F("person__merged_into_id"), F("person_id")),
        st_sex=Coalesce("person__merged_into__sex", "person__sex"),
        st_state=Coalesce("origin_state_id", "person__merged_into__birth_state_id", "person__birth_state_id"),
    )


def narrow_events(events: QuerySet[RepatriationEvent], filters: Filters) -> QuerySet[RepatriationEvent]:
    """`resolved_events` matching the filters. Raises ValueError for a flag events do not hold."""
    if filters.point:
        events = events.filter(reception_point__code=filters.point)
    if filters.state:
        events = events.filter(st_state__in=State.objects.filter(code=filters.state).values("pk"))
    if filters.sex:
        events = events.filter(st_sex=filters.sex)
    if filters.age_group:
        low, high = AGE_GROUPS[filters.age_group]
        events = events.filter(age_at_arrival__gte=low, age_at_arrival__lte=high)
    flag = filters.vulnerability
    if flag == "unaccompanied_minor":
        events = events.filter(unaccompanied_minor=True)
    elif flag == "accompanied_minor":
        events = events.filter(unaccompanied_minor=False, minor=True)
    elif flag == "woman":
        events = events.filter(st_sex="M")
    elif flag == "older_adult":
        events = events.filter(age_at_arrival__gte=older_adult_age())
    elif flag == "indigenous":
        events = events.filter(Q(person__merged_into__indigenous=True) | Q(person__indigenous=True))
    elif flag == "no_documents":
        events = events.filter(Q(documents=[]) | Q(documents=["none"]))
    elif flag:
        raise ValueError(flag)
    return events


def _events(
    period: Period, filters: Filters, extra: Q | None = None, live_extra: Q | None = None
) -> int | None:
    if filters.vulnerability and filters.vulnerability not in SUPPORTED_FLAGS:
        return None
    cube = _cube(period, filters)
    if cube is not None:
        return sum(counts_by(cube.filter(extra) if extra else cube, "month").values())
    events = live_events(period, filters)
    return (events.filter(live_extra) if live_extra else events).count()


def _person_events() -> QuerySet[RepatriationEvent]:
    return RepatriationEvent.objects.annotate(st_person=Coalesce(F("person__merged_into_id"), F("person_id")))


def _period_history(start, end) -> QuerySet[RepatriationEvent]:
    """The events of [start, end), each with its place among its (merge-resolved) person's events
    of that span: `nth` (1 = first; by time, ties by id) of `of`. One window pass over the span's
    events: a correlated "is there a later event" subquery per event was quadratic on SQLite
    (38 s for a year of the demo database) and cannot use an index through the merge COALESCE."""
    person = [F("st_person")]
    return (
        _person_events()
        .filter(arrived_at__gte=start, arrived_at__lt=end)
        .annotate(
            nth=Window(RowNumber(), partition_by=person, order_by=[F("arrived_at").asc(), F("id").asc()]),
            of=Window(Count("id"), partition_by=person),
        )
    )


def _came_before(start) -> Q:
    """The event's person had an event before `start`, on their own record or on one merged into
    them: two lookups on the person_id and merged_into indexes (as aggregates.py counts priors)."""
    direct = RepatriationEvent.objects.filter(person_id=OuterRef("st_person"), arrived_at__lt=start)
    merged = RepatriationEvent.objects.filter(
        person__merged_into_id=OuterRef("st_person"), arrived_at__lt=start
    )
    return Q(Exists(direct)) | Q(Exists(merged))


def _persons(period: Period, filters: Filters, repeat: bool = False) -> int | None:
    """Persons received in the period, merged records once. A person counts with the
    characteristics of their last event of the period (so breakdowns add up to the total), and
    as a repeat returnee when they had an event before that one."""
    if filters.vulnerability and filters.vulnerability not in SUPPORTED_FLAGS:
        return None
    cube = _cube(period, filters)
    if cube is not None and period.start.replace(day=1) == period.end.replace(day=1):
        rows = cube.filter(last_in_month=True, ordinal__gte=2 if repeat else 1)
        return sum(counts_by(rows, "month").values())
    start, end = local_days_range(period.start, period.end)
    last = _period_history(start, end).filter(nth=F("of"))
    events = live_events(period, filters).filter(id__in=last.values("id"))
    if repeat:
        events = events.filter(Q(id__in=last.filter(of__gte=2).values("id")) | _came_before(start))
    return events.count()


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 2)


MINOR_BANDS = [AgeBand.CHILD, AgeBand.ADOLESCENT]


@indicator("events_total", unit="events", description=_("Eventos de repatriación"))
def events_total(period: Period, filters: Filters) -> int | None:
    return _events(period, filters)


@indicator(
    "persons_total", unit="persons", description=_("Personas repatriadas (registros fusionados una vez)")
)
def persons_total(period: Period, filters: Filters) -> int | None:
    return _persons(period, filters)


@indicator("repeat_persons", unit="persons", description=_("Personas con dos o más eventos acumulados"))
def repeat_persons(period: Period, filters: Filters) -> int | None:
    return _persons(period, filters, repeat=True)


@indicator(
    "repeat_return_rate",
    unit="percent",
    description=_("Porcentaje de personas recibidas con dos o más eventos de repatriación acumulados"),
)
def repeat_return_rate(period: Period, filters: Filters) -> float | None:
    return _share(repeat_persons(period, filters), persons_total(period, filters))


@indicator("repeat_events", unit="events", description=_("Eventos de personas con un evento anterior"))
def repeat_events(period: Period, filters: Filters) -> int | None:
    start, end = local_days_range(period.start, period.end)
    not_first = Q(id__in=_period_history(start, end).filter(nth__gte=2).values("id")) | _came_before(start)
    return _events(period, filters, Q(ordinal__gte=2), not_first)


@indicator(
    "repeat_events_share", unit="percent", description=_("Porcentaje de eventos que son reincidencias")
)
def repeat_events_share(period: Period, filters: Filters) -> float | None:
    return _share(repeat_events(period, filters), events_total(period, filters))


@indicator(
    "minors_total", unit="events", description=_("Eventos de niñas, niños y adolescentes (0 a 17 años)")
)
def minors_total(period: Period, filters: Filters) -> int | None:
    return _events(period, filters, Q(age_band__in=MINOR_BANDS), Q(minor=True))


@indicator("unaccompanied_minors", unit="events", description=_("Eventos de menores no acompañados"))
def unaccompanied_minors(period: Period, filters: Filters) -> int | None:
    return _events(period, filters, Q(unaccompanied=True), Q(unaccompanied_minor=True))


@indicator(
    "unaccompanied_share_of_minors",
    unit="percent",
    description=_("Porcentaje de eventos de menores que son de menores no acompañados"),
)
def unaccompanied_share_of_minors(period: Period, filters: Filters) -> float | None:
    return _share(unaccompanied_minors(period, filters), minors_total(period, filters))


@indicator("women_events", unit="events", description=_("Eventos de mujeres"))
def women_events(period: Period, filters: Filters) -> int | None:
    return _events(period, filters, Q(sex="M"), Q(st_sex="M"))


@indicator("women_share", unit="percent", description=_("Porcentaje de eventos de mujeres"))
def women_share(period: Period, filters: Filters) -> float | None:
    return _share(women_events(period, filters), events_total(period, filters))


@indicator("older_adults", unit="events", description=_("Eventos de personas de 60 años y más"))
def older_adults(period: Period, filters: Filters) -> int | None:
    return _events(period, filters, Q(age_band=AgeBand.OLDER), Q(age_at_arrival__gte=older_adult_age()))


@indicator(
    "air_returns", unit="events", description=_("Eventos de repatriación aérea (procedimiento al interior)")
)
def air_returns(period: Period, filters: Filters) -> int | None:
    return _events(period, filters, Q(mode="air"), Q(mode="air"))


@indicator("air_returns_share", unit="percent", description=_("Porcentaje de eventos de repatriación aérea"))
def air_returns_share(period: Period, filters: Filters) -> float | None:
    return _share(air_returns(period, filters), events_total(period, filters))


# Percentages and the counts they divide, so a published share never reveals a small count.
SHARE_PARTS = {
    "repeat_return_rate": ("repeat_persons", "persons_total"),
    "repeat_events_share": ("repeat_events", "events_total"),
    "unaccompanied_share_of_minors": ("unaccompanied_minors", "minors_total"),
    "women_share": ("women_events", "events_total"),
    "air_returns_share": ("air_returns", "events_total"),
}


@dataclass(frozen=True)
class IndicatorValue:
    name: str
    unit: str
    description: str
    value: float | None
    suppressed: bool


def indicator_value(name: str, period: Period, filters: Filters, *, suppressed: bool) -> IndicatorValue:
    """The named indicator, with disclosure control when `suppressed`: a count in 1..threshold-1,
    or a share whose part or complement is such a count, is withheld (value None, suppressed True).
    Raises KeyError for an unknown name."""
    query = available()[name]
    value = compute(name, period, filters)
    hidden = False
    if suppressed and value is not None:
        from retorno.statistics import reintegration

        limit = disclosure.threshold()
        shares = {**SHARE_PARTS, **reintegration.SHARE_PARTS}
        if query.unit in ("events", "persons") or query.unit in reintegration.COUNT_UNITS:
            hidden = 0 < value < limit
        elif name in reintegration.MEDIAN_BASES:
            base = compute(reintegration.MEDIAN_BASES[name], period, filters) or 0
            hidden = base < limit
        elif name in shares:
            part_name, whole_name = shares[name]
            part, whole = compute(part_name, period, filters), compute(whole_name, period, filters)
            hidden = any(0 < n < limit for n in (part or 0, (whole or 0) - (part or 0)))
        else:
            hidden = True  # a measure of unknown make-up is not published under suppression
    return IndicatorValue(name, query.unit, query.description, None if hidden else value, hidden)
