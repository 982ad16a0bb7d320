from datetime import date

import pytest

from retorno.statistics import aggregates
from retorno.statistics.models import AggregateMonth, EventAggregate
from retorno.statistics.services import aggregates_ensure, aggregates_refresh
from retorno.statistics.tests.factories import at, known_dataset
from retorno.testing.factories import make_event, make_person, make_point

pytestmark = pytest.mark.django_db

AUG, OCT, NOV = date(2026, 8, 1), date(2026, 10, 1), date(2026, 11, 1)


def test_full_refresh_equals_the_live_computation():
    known_dataset()
    aggregates_refresh()
    assert aggregates.stored_counts(AUG, NOV) == aggregates.live_counts(AUG, NOV)
    assert sum(aggregates.stored_counts(OCT, OCT).values()) == 10


def test_months_are_local_and_stamped_with_the_refresh_time():
    known_dataset()
    refreshed = aggregates_refresh()
    assert [m.month for m in refreshed] == [AUG, date(2026, 9, 1), OCT, NOV]
    assert AggregateMonth.objects.get(month=OCT).events == 10
    assert AggregateMonth.objects.get(month=NOV).events == 1


def test_merged_persons_count_as_the_survivor_with_their_ordinals():
    data = known_dataset()
    aggregates_refresh()
    rows = EventAggregate.objects.filter(month=OCT, reception_point=data["mxl"], age_band="18-59")
    pedro_row = rows.get(origin_state__code="GR")
    assert pedro_row.ordinal == 3  # juan's 4th event, bucket 3+
    assert pedro_row.last_in_month  # his last event in October
    juan_oct = EventAggregate.objects.get(month=OCT, reception_point=data["tij"], ordinal=3)
    assert not juan_oct.last_in_month


def test_incremental_refresh_of_one_month_matches_live_and_leaves_others_alone():
    data = known_dataset()
    aggregates_refresh()
    before_nov = aggregates.stored_counts(NOV, NOV)
    newcomer = make_person(given_names="Nuevo")
    make_event(newcomer, data["tij"], arrived_at=at(2026, 10, 15), age_at_arrival=40)
    make_event(make_person(given_names="Otro"), data["tij"], arrived_at=at(2026, 11, 15), age_at_arrival=40)
    aggregates_refresh(first=OCT, last=OCT)
    assert aggregates.stored_counts(OCT, OCT) == aggregates.live_counts(OCT, OCT)
    assert aggregates.stored_counts(NOV, NOV) == before_nov  # not refreshed: stays as it was
    assert AggregateMonth.objects.get(month=OCT).events == 11


def test_ensure_refreshes_only_months_never_aggregated():
    known_dataset()
    aggregates_ensure(months=[OCT])
    stamp = AggregateMonth.objects.get(month=OCT).refreshed_at
    aggregates_ensure(months=[OCT, NOV])
    assert AggregateMonth.objects.get(month=OCT).refreshed_at == stamp
    assert AggregateMonth.objects.filter(month=NOV).exists()
    assert aggregates.stored_counts(OCT, NOV) == aggregates.live_counts(OCT, NOV)


def test_refresh_of_an_empty_database_is_empty():
    make_point("TIJ")
    assert aggregates_refresh() == []
    assert not EventAggregate.objects.exists()


def test_refresh_refuses_half_a_range():
    with pytest.raises(ValueError):
        aggregates_refresh(first=OCT)


def test_a_month_aggregated_while_open_is_refreshed_once_stale(settings):
    data = known_dataset()
    aggregates_refresh(first=OCT, last=OCT)
    AggregateMonth.objects.filter(month=OCT).update(refreshed_at=at(2026, 10, 15))
    make_event(make_person(given_names="Tarde"), data["tij"], arrived_at=at(2026, 10, 30), age_at_arrival=40)
    settings.RETORNO_STATISTICS_MAX_AGE = 600
    aggregates_ensure(months=[OCT])
    assert AggregateMonth.objects.get(month=OCT).events == 11


def test_a_closed_month_keeps_its_stated_age_until_refreshed_on_purpose():
    data = known_dataset()
    aggregates_refresh(first=OCT, last=OCT)
    AggregateMonth.objects.filter(month=OCT).update(refreshed_at=at(2026, 11, 10))
    make_event(
        make_person(given_names="Corrección"), data["tij"], arrived_at=at(2026, 10, 30), age_at_arrival=40
    )
    aggregates_ensure(months=[OCT])
    record = AggregateMonth.objects.get(month=OCT)
    assert record.events == 10 and record.refreshed_at == at(2026, 11, 10)
