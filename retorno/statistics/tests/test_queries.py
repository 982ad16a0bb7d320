"""Indicator queries: the same numbers from the aggregates (whole months) and from the events."""

from datetime import date

import pytest

from retorno.statistics.queries import indicator_value
from retorno.statistics.registry import Filters, Period, available, compute
from retorno.statistics.tests.factories import known_dataset
from retorno.testing.factories import make_event, make_person

pytestmark = pytest.mark.django_db

WHOLE_OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))  # read from the aggregates
# Not whole months, so computed from the events; October's events all fall between these dates.
LIVE_OCTOBER = Period(date(2026, 10, 2), date(2026, 10, 31))

EXPECTED = {
    "events_total": 10,
    "persons_total": 9,
    "repeat_persons": 1,
    "repeat_return_rate": 11.11,
    "repeat_events": 2,
    "repeat_events_share": 20.0,
    "minors_total": 3,
    "unaccompanied_minors": 2,
    "unaccompanied_share_of_minors": 66.67,
    "women_events": 2,
    "women_share": 20.0,
    "older_adults": 1,
    "air_returns": 1,
    "air_returns_share": 10.0,
}


@pytest.mark.parametrize("period", [WHOLE_OCTOBER, LIVE_OCTOBER], ids=["aggregates", "events"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_indicator_values_on_the_known_dataset(name, period):
    known_dataset()
    assert compute(name, period) == EXPECTED[name]


@pytest.mark.parametrize("period", [WHOLE_OCTOBER, LIVE_OCTOBER], ids=["aggregates", "events"])
def test_filtered_indicators_agree_between_aggregates_and_events(period):
    known_dataset()
    assert compute("events_total", period, Filters(sex="M")) == 2
    assert compute("persons_total", period, Filters(point="MXL")) == 3
    # Juan counts at his last October event (Mexicali), so Tijuana has 5 persons, not 6.
    assert compute("persons_total", period, Filters(point="TIJ")) == 5
    assert compute("repeat_persons", period, Filters(point="MXL")) == 1
    assert compute("events_total", period, Filters(state="OC")) == 3
    assert compute("events_total", period, Filters(age_group="18+")) == 6
    assert compute("events_total", period, Filters(vulnerability="older_adult")) == 1
    assert compute("events_total", period, Filters(vulnerability="accompanied_minor")) == 1


def test_flags_only_the_events_know_are_computed_from_them():
    data = known_dataset()
    person = make_person(given_names="Itzel", sex="M", indigenous=True)
    make_event(
        person,
        data["tij"],
        age_at_arrival=30,
        documents=["ine"],
        arrived_at=data["juan"].events.first().arrived_at,
    )
    assert compute("events_total", WHOLE_OCTOBER, Filters(vulnerability="indigenous")) == 1
    assert compute("events_total", WHOLE_OCTOBER, Filters(vulnerability="no_documents")) == 10


def test_flags_from_the_diagnosis_are_not_computed_here():
    known_dataset()
    assert compute("events_total", WHOLE_OCTOBER, Filters(vulnerability="pregnant")) is None


def test_several_months_of_persons_come_from_the_events():
    known_dataset()
    assert compute("persons_total", Period(date(2026, 8, 1), date(2026, 11, 30))) == 9
    assert compute("repeat_persons", Period(date(2026, 8, 1), date(2026, 11, 30))) == 2  # juan, Vuela


def test_every_registered_reception_indicator_is_listed():
    assert set(EXPECTED) <= set(available())


def test_published_values_hide_small_counts_and_the_shares_built_on_them():
    known_dataset()
    events = indicator_value("events_total", WHOLE_OCTOBER, Filters(), suppressed=True)
    assert events.value == 10 and not events.suppressed
    unacc = indicator_value("unaccompanied_minors", WHOLE_OCTOBER, Filters(), suppressed=True)
    assert unacc.value is None and unacc.suppressed
    women = indicator_value("women_share", WHOLE_OCTOBER, Filters(), suppressed=True)
    assert women.value is None  # 2 women out of 10
    exact = indicator_value("women_share", WHOLE_OCTOBER, Filters(), suppressed=False)
    assert exact.value == 20.0
