"""Building the event aggregates (statistics.EventAggregate) from the case data.

Rules of counting, shared by the SQL refresh and the plain-Python live computation that checks it:
- every repatriation event counts once, in the month of `arrived_at` in the deployment time zone;
- an event of a merged-away person belongs to the person it was merged into (`merged_into`); sex and
  birth state are taken from that surviving person, falling back to the event's own person record;
- state of origin: the event's `origin_state`, else the person's birth state, else unknown (NULL);
- ordinal: the event's place in the person's history (1, 2, 3 = third or later), ties broken by id;
- last_in_month: the person's last event in that month (so persons = sum over last_in_month).
"""

from collections import Counter
from datetime import date, datetime

from django.db import connection
from django.db.models import Case, CharField, DateField, F, Func, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, Lead, RowNumber, TruncMonth
from django.utils import timezone

from retorno.reception.models import RepatriationEvent
from retorno.reference.rules import adult_age, older_adult_age
from retorno.statistics.models import AgeBand, EventAggregate

DIMENSIONS = (
    "month",
    "reception_point_id",
    "origin_state_id",
    "sex",
    "age_band",
    "unaccompanied",
    "mode",
    "ordinal",
    "last_in_month",
)


def month_start(month: date) -> datetime:
    """Aware datetime of the first instant of `month` in the deployment time zone."""
    return datetime(month.year, month.month, 1, tzinfo=timezone.get_default_timezone())


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_end(month: date) -> date:
    """Last day of `month`."""
    return date.fromordinal(next_month(month.replace(day=1)).toordinal() - 1)


def months_between(first: date, last: date) -> list[date]:
    """Every first-of-month from `first` to `last`, inclusive."""
    months, current = [], date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def months_back(last: date, count: int) -> list[date]:
    """The `count` months ending with `last`'s month, oldest first."""
    first = last.replace(day=1)
    for _step in range(count - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return months_between(first, last.replace(day=1))


# The bulletin splits minors at 12 (0-11 / 12-17): a statistical breakdown, not a legal threshold.
CHILD_BAND_END = 12


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    if age < CHILD_BAND_END:
        return AgeBand.CHILD
    if age < adult_age():
        return AgeBand.ADOLESCENT
    if age < older_adult_age():
        return AgeBand.ADULT
    return AgeBand.OLDER


def _resolved_person():
    return Coalesce(F("person__merged_into_id"), F("person_id"))


def _facts_sql(first: date | None, last: date | None) -> tuple[str, list]:
    """SQL selecting one row per event with its dimensions, for events of months first..last
    (all months when None), with ordinals computed over each person's whole earlier history.

    Built with the ORM so that the time-zone month truncation and window functions are portable
    across SQLite and PostgreSQL; the caller wraps it in INSERT ... SELECT ... GROUP BY.
    """
    resolved = _resolved_person()
    month = TruncMonth("arrived_at", output_field=DateField(), tzinfo=timezone.get_default_timezone())
    events = RepatriationEvent.objects.all()
    prior = Value(0)
    if first is not None:
        # Only the events of the months, plus for each one the number of its person's events before
        # them: two correlated counts that use the person_id and merged_into indexes, instead of a
        # window over every event of every person.
        start, end = month_start(first), month_start(next_month(last))
        events = events.filter(arrived_at__gte=start, arrived_at__lt=end).annotate(st_person=resolved)
        count = Func(F("id"), function="COUNT")
        direct = RepatriationEvent.objects.filter(person_id=OuterRef("st_person"), arrived_at__lt=start)
        merged = RepatriationEvent.objects.filter(
            person__merged_into_id=OuterRef("st_person"), arrived_at__lt=start
        )
        prior = Subquery(direct.order_by().annotate(n=count).values("n")[:1]) + Subquery(
            merged.order_by().annotate(n=count).values("n")[:1]
        )
    facts = events.annotate(
        st_month=month,
        st_prior=prior,
        st_state=Coalesce("origin_state_id", "person__merged_into__birth_state_id", "person__birth_state_id"),
        st_sex=Coalesce("person__merged_into__sex", "person__sex"),
        st_age=Case(
            # Without a birth date, the apparent age the officer stated.
            When(age_at_arrival__isnull=True, estimated_age_band="0-11", then=Value(AgeBand.CHILD.value)),
            When(
                age_at_arrival__isnull=True, estimated_age_band="12-17", then=Value(AgeBand.ADOLESCENT.value)
            ),
            When(age_at_arrival__isnull=True, estimated_age_band="18+", then=Value(AgeBand.ADULT.value)),
            When(age_at_arrival__isnull=True, then=Value(AgeBand.UNKNOWN.value)),
            When(Q(age_at_arrival__lt=CHILD_BAND_END), then=Value(AgeBand.CHILD.value)),
            When(Q(age_at_arrival__lt=adult_age()), then=Value(AgeBand.ADOLESCENT.value)),
            When(Q(age_at_arrival__lt=older_adult_age()), then=Value(AgeBand.ADULT.value)),
            default=Value(AgeBand.OLDER.value),
            output_field=CharField(),
        ),
        st_ordinal=Window(
            RowNumber(), partition_by=[resolved], order_by=[F("arrived_at").asc(), F("id").asc()]
        ),
        # The next event's month over the same window (one sort): the last of the month has another.
        st_next_month=Window(
            Lead(month), partition_by=[resolved], order_by=[F("arrived_at").asc(), F("id").asc()]
        ),
    ).values(
        "st_month",
        "reception_point_id",
        "st_state",
        "st_sex",
        "st_age",
        "unaccompanied_minor",
        "mode",
        "st_ordinal",
        "st_prior",
        "st_next_month",
    )
    return facts.order_by().query.sql_with_params()


def rebuild(first: date | None = None, last: date | None = None) -> None:
    """Replace the aggregates of months first..last (every month when both are None) with counts
    recomputed from the events. Runs inside the caller's transaction."""
    table = EventAggregate._meta.db_table
    qn = connection.ops.quote_name
    inner, params = _facts_sql(first, last)
    where = ""
    deleted = EventAggregate.objects.all()
    if first is not None:
        where = "WHERE f.st_month >= %s AND f.st_month <= %s"
        params = [*params, first, last]
        deleted = deleted.filter(month__gte=first, month__lte=last)
    deleted.delete()
    ordinal = "CASE WHEN f.st_ordinal + f.st_prior >= 3 THEN 3 ELSE f.st_ordinal + f.st_prior END"
    # A boolean in PostgreSQL, 0/1 in SQLite: both fit the column.
    last_flag = "(f.st_next_month IS NULL OR f.st_next_month <> f.st_month)"
    keys = f"f.st_month, f.reception_point_id, f.st_state, f.st_sex, f.st_age, f.unaccompanied_minor, f.mode, {ordinal}, {last_flag}"
    columns = ", ".join(qn(c) for c in DIMENSIONS)
    sql = (
        f"INSERT INTO {qn(table)} ({columns}, {qn('events')}) "
        f"SELECT {keys}, COUNT(*) FROM ({inner}) f {where} GROUP BY {keys}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The window sorts all events: give this transaction enough memory to sort in RAM.
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings_work_mem()])
        cursor.execute(sql, params)


def settings_work_mem() -> str:
    from django.conf import settings

    return str(getattr(settings, "RETORNO_STATISTICS_WORK_MEM", "256MB"))


def live_counts(first: date, last: date) -> Counter:
    """The same counts as the aggregates of months first..last, computed event by event in Python.

    Slow and simple on purpose: it is the reference the SQL refresh is checked against.
    """
    tz = timezone.get_default_timezone()
    rows = RepatriationEvent.objects.order_by().values_list(
        "id",
        "arrived_at",
        "person_id",
        "person__merged_into_id",
        "person__sex",
        "person__birth_state_id",
        "person__merged_into__sex",
        "person__merged_into__birth_state_id",
        "origin_state_id",
        "reception_point_id",
        "age_at_arrival",
        "unaccompanied_minor",
        "mode",
    )
    history: dict[int, list[tuple]] = {}
    for row in rows:
        (eid, at, pid, merged, sex, birth, m_sex, m_birth, origin, point, age, unacc, mode) = row
        person = merged or pid
        local = timezone.localtime(at, tz)
        key = (
            date(local.year, local.month, 1),
            point,
            origin or m_birth or birth,
            m_sex or sex,
            age_band(age),
            unacc,
            mode,
        )
        history.setdefault(person, []).append((at, eid, key))
    counts: Counter = Counter()
    for events in history.values():
        events.sort()
        last_of_month = {}
        for _at, eid, key in events:
            last_of_month[key[0]] = eid
        for position, (_at, eid, key) in enumerate(events, start=1):
            if first <= key[0] <= last:
                counts[(*key, min(position, 3), last_of_month[key[0]] == eid)] += 1
    return counts


def stored_counts(first: date, last: date) -> Counter:
    """The aggregates of months first..last as a Counter keyed like `live_counts`."""
    counts: Counter = Counter()
    for row in EventAggregate.objects.filter(month__gte=first, month__lte=last).values_list(
        *DIMENSIONS, "events"
    ):
        counts[row[:-1]] += row[-1]
    return counts
