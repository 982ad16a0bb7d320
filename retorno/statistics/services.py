"""Writes of the statistics app: rebuilding the pre-aggregated counts."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone

from retorno.reception.models import RepatriationEvent
from retorno.statistics import aggregates
from retorno.statistics.models import AggregateMonth, EventAggregate


def _month_of(moment) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


@transaction.atomic
def aggregates_refresh(*, first: date | None = None, last: date | None = None) -> list[AggregateMonth]:
    """Rebuild the event aggregates of months first..last (inclusive; first-of-month dates), or of
    every month with events when both are None, and stamp each month with the refresh time.

    Returns the refreshed AggregateMonth records. Raises ValueError if only one bound is given or
    first > last.
    """
    if (first is None) != (last is None):
        raise ValueError("give both first and last month, or neither")
    if first is not None:
        first, last = first.replace(day=1), last.replace(day=1)
        if first > last:
            raise ValueError("first month after last month")
        aggregates.rebuild(first, last)
        months = aggregates.months_between(first, last)
    else:
        bounds = RepatriationEvent.objects.aggregate(lo=Min("arrived_at"), hi=Max("arrived_at"))
        aggregates.rebuild()
        AggregateMonth.objects.all().delete()
        if bounds["lo"] is None:
            return []
        months = aggregates.months_between(_month_of(bounds["lo"]), _month_of(bounds["hi"]))
    totals = dict(
        EventAggregate.objects.filter(month__in=months)
        .values_list("month")
        .annotate(n=Sum("events"))
        .values_list("month", "n")
    )
    now = timezone.now()
    refreshed = []
    for month in months:
        record, _ = AggregateMonth.objects.update_or_create(
            month=month, defaults={"refreshed_at": now, "events": totals.get(month, 0)}
        )
        refreshed.append(record)
    return refreshed


def _is_stale(record: AggregateMonth | None, now) -> bool:
    """Never aggregated, or aggregated while the month was still open (arrivals keep coming in for a
    day after it ends) and older than RETORNO_STATISTICS_MAX_AGE seconds (default 600)."""
    if record is None:
        return True
    closes = aggregates.month_start(aggregates.next_month(record.month)) + timedelta(days=1)
    max_age = timedelta(seconds=int(getattr(settings, "RETORNO_STATISTICS_MAX_AGE", 600)))
    return record.refreshed_at < closes and now - record.refreshed_at > max_age


def aggregates_ensure(*, months: list[date]) -> list[AggregateMonth]:
    """Refresh the months of `months` that were never aggregated or are open and stale (see
    _is_stale), so a bulletin is neither silently empty nor frozen mid-month; closed months keep
    their stated age until refreshed on purpose. Returns the records of all requested months."""
    now = timezone.now()
    known = {r.month: r for r in AggregateMonth.objects.filter(month__in=months)}
    missing = sorted(m for m in set(months) if _is_stale(known.get(m), now))
    # Refresh contiguous runs in one rebuild each.
    run: list[date] = []
    for month in missing + [None]:
        if run and (month is None or month != aggregates.next_month(run[-1])):
            aggregates_refresh(first=run[0], last=run[-1])
            run = []
        if month is not None:
            run.append(month)
    return list(AggregateMonth.objects.filter(month__in=months).order_by("month"))
