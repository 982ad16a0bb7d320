import pytest

from retorno.accounts.models import Role
from retorno.policy import selectors
from retorno.policy.periods import parse_period
from retorno.policy.tests.factories import (
    load_catalog,
    make_caseworker,
    make_indicator,
    make_report,
    registered_query,
)
from retorno.testing.factories import make_institution, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalog():
    load_catalog()


def _periods(*codes):
    return [parse_period(c) for c in codes]


def test_coverage_marks_lines_with_and_without_reports_per_period():
    stps, renapo = make_institution("STPS-C"), make_institution("RENAPO-C")
    r1 = make_report(line="4.4.3", institution=stps, period="2026-S1")
    r2 = make_report(line="4.4.3", institution=renapo, period="2026-S2")
    r3 = make_report(line="3.2.1", institution=renapo, period="2026-S2")
    table = selectors.coverage(
        user=make_user(Role.ADMIN), periods=_periods("2026-S1", "2026-S2"), objective="4"
    )
    rows = {row.line.code: row for row in table.rows}
    assert len(rows) == 49  # objective 4 only: 10 + 9 + 6 + 8 + 7 + 9 lines in strategies 4.1-4.6
    assert rows["4.4.3"].cells == [[r1], [r2]]
    assert rows["4.4.1"].cells == [[], []]
    assert "3.2.1" not in rows and r3 not in sum((sum(r.cells, []) for r in table.rows), [])
    assert table.covered == [1, 1]
    assert [line.code for line in table.gaps(0)][:2] == ["4.1.1", "4.1.2"]


def test_a_semester_report_covers_its_year_but_not_the_next():
    report = make_report(line="1.5.2", period="2025-S2")
    table = selectors.coverage(user=make_user(Role.ADMIN), periods=_periods("2025", "2026"), strategy="1.5")
    row = next(r for r in table.rows if r.line.code == "1.5.2")
    assert row.cells == [[report], []]


def test_coverage_filters_by_agency_and_compact_objective():
    stps, inm = make_institution("STPS-F"), make_institution("INM-F")
    make_report(line="3.4.3", institution=inm, period="2026-S1")
    table = selectors.coverage(
        user=make_user(Role.ADMIN), periods=_periods("2026-S1"), gcm=21, institution_id=stps.pk
    )
    assert table.covered == [0]
    assert all(21 in {g.number for g in row.line.gcm_objectives.all()} for row in table.rows)


def test_caseworker_sees_only_their_institution_reports():
    mine, other = make_institution(), make_institution()
    own = make_report(institution=mine)
    make_report(institution=other, line="4.4.1")
    assert list(selectors.reports_visible(make_caseworker(mine))) == [own]
    assert selectors.reports_visible(make_user(Role.ANALYST)).count() == 2
    assert selectors.reports_visible(make_user(Role.RECEPTION_OFFICER)).count() == 0


def test_unregistered_query_is_unavailable_not_an_error():
    indicator = make_indicator(query="policy_test_not_registered_anywhere")
    value = selectors.indicator_value(indicator, parse_period("2026"))
    assert value.state == "unavailable" and value.value is None


def test_registered_query_gives_value_and_progress_against_target():
    seen = []

    def query(period, filters):
        seen.append((period.start.isoformat(), period.end.isoformat()))
        return 35.0

    indicator = make_indicator(query="policy_test_rate", target_value=70, target_year=2027)
    with registered_query("policy_test_rate", query):
        value = selectors.indicator_value(indicator, parse_period("2026-S1"))
    assert seen == [("2026-01-01", "2026-06-30")]
    assert (value.state, value.value, value.progress_pct, value.met) == ("ok", 35.0, 50.0, False)


def test_decreasing_indicator_is_met_below_target_and_none_means_no_data():
    down = make_indicator(query="policy_test_down", direction="decrease", target_value=10, target_year=2027)
    empty = make_indicator(query="policy_test_none")
    with (
        registered_query("policy_test_down", lambda p, f: 8),
        registered_query("policy_test_none", lambda p, f: None),
    ):
        assert selectors.indicator_value(down, parse_period("2026")).met is True
        assert selectors.indicator_value(empty, parse_period("2026")).state == "no_data"


def test_a_failing_query_is_reported_as_error_without_raising():
    def broken(period, filters):
        raise ZeroDivisionError

    indicator = make_indicator(query="policy_test_broken")
    with registered_query("policy_test_broken", broken):
        assert selectors.indicator_value(indicator, parse_period("2026")).state == "error"


def test_scale_turns_a_ratio_into_a_percent():
    indicator = make_indicator(query="policy_test_ratio", scale=100, target_value=70, target_year=2027)
    with registered_query("policy_test_ratio", lambda p, f: 0.35):
        value = selectors.indicator_value(indicator, parse_period("2026"))
    assert value.value == pytest.approx(35.0) and value.progress_pct == 50.0
