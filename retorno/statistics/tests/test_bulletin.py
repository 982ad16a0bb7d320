"""Every bulletin table on a small hand-counted dataset (see tests/factories.known_dataset)."""

from datetime import date

import pytest

from retorno.statistics.bulletin import bulletin_build
from retorno.statistics.registry import Filters
from retorno.statistics.selectors import Audience
from retorno.statistics.tests.factories import known_dataset

pytestmark = pytest.mark.django_db

OCT = date(2026, 10, 1)
NATIONAL = Audience(points=None, suppressed=False)


def _rows(table):
    """{row key: [cells..., row total]} plus 'TOTAL' for the margin row."""
    grid = table.published()
    result = dict(zip(table.row_keys, grid[:-1], strict=True))
    result["TOTAL"] = grid[-1]
    return result


@pytest.fixture
def bulletin():
    known_dataset()
    return bulletin_build(month=date(2026, 10, 17), audience=NATIONAL)


def test_events_by_point_and_sex(bulletin):
    table = bulletin.table("point_sex")
    assert table.unit == "events"
    assert table.column_keys == ["H", "M"]
    rows = _rows(table)
    assert rows["TIJ"] == [4, 2, 6]
    assert rows["MXL"] == [3, 0, 3]
    assert rows["AICM"] == [1, 0, 1]
    assert rows["TOTAL"] == [8, 2, 10]


def test_events_by_state_of_origin_fall_back_to_birth_state_then_unknown(bulletin):
    rows = _rows(bulletin.table("state_sex"))
    assert rows["MN"] == [3, 0, 3]
    assert rows["GR"] == [3, 0, 3]
    assert rows["OC"] == [1, 2, 3]  # Rosa has no origin on the event: her birth state counts
    assert rows[""] == [1, 0, 1]  # no origin, no birth state: "No especificado"
    assert rows["BC"] == [0, 0, 0]
    assert rows["TOTAL"] == [8, 2, 10]


def test_events_by_age_group_and_accompaniment(bulletin):
    rows = _rows(bulletin.table("age_sex"))
    assert rows["18+"] == [5, 1, 6]  # Rosa, 62, is an adult
    assert rows["0-11-acc"] == [0, 0, 0]
    assert rows["0-11-unacc"] == [1, 0, 1]
    assert rows["12-17-acc"] == [0, 1, 1]
    assert rows["12-17-unacc"] == [1, 0, 1]
    assert rows["NE"] == [1, 0, 1]
    assert rows["TOTAL"] == [8, 2, 10]


def test_events_by_point_and_age_group(bulletin):
    rows = _rows(bulletin.table("point_age"))
    assert rows["TIJ"] == [4, 0, 1, 1, 0, 0, 6]
    assert rows["MXL"] == [1, 0, 0, 0, 1, 1, 3]
    assert rows["AICM"] == [1, 0, 0, 0, 0, 0, 1]


def test_events_by_point_and_month_of_the_year_to_date(bulletin):
    table = bulletin.table("point_month")
    assert table.column_keys[0] == "2026-01" and table.column_keys[-1] == "2026-10"
    rows = _rows(table)
    assert rows["TIJ"][7:] == [1, 1, 6, 8]  # Aug, Sep, Oct, total
    assert rows["MXL"][-2:] == [3, 3]
    assert rows["TOTAL"][-1] == 12


def test_persons_view_counts_merged_records_once_by_returns_to_date(bulletin):
    table = bulletin.table("persons_returns")
    assert table.unit == "persons"
    rows = _rows(table)
    assert rows["1"] == [6, 2, 8]
    assert rows["2"] == [0, 0, 0]
    assert rows["3"] == [1, 0, 1]  # juan + pedro (merged): 4 events to date
    assert rows["TOTAL"] == [7, 2, 9]


def test_summary_figures(bulletin):
    assert bulletin.summary == {
        "events": 10,
        "persons": 9,
        "repeat_events": 2,
        "repeat_events_share": 20.0,
        "minors": 3,
        "unaccompanied_minors": 2,
        "women_share": 20.0,
        "air_share": 10.0,
    }


def test_every_table_states_its_unit_and_data_time(bulletin):
    for table in bulletin.tables:
        data = table.as_dict()
        assert data["unit"] in ("events", "persons", "referrals", "surveys", "grievances")
        assert data["data_as_of"]
        assert not data["suppressed"]


def test_suppressed_audience_never_sees_a_small_cell():
    known_dataset()
    bulletin = bulletin_build(month=OCT, audience=Audience.public())
    for table in bulletin.tables:
        for row in table.published():
            assert all(v is None or v == 0 or v >= 5 for v in row), (table.key, row)
    assert _rows(bulletin.table("point_sex"))["TIJ"][0] is None
    assert bulletin.summary["persons"] == 9  # big enough to publish
    assert bulletin.summary["repeat_events"] is None


def test_a_point_supervisor_audience_sees_only_that_point():
    data = known_dataset()
    bulletin = bulletin_build(month=OCT, audience=Audience(points=(data["tij"].pk,), suppressed=False))
    assert bulletin.table("point_sex").row_keys == ["TIJ"]
    assert _rows(bulletin.table("state_sex"))["TOTAL"] == [4, 2, 6]
    assert bulletin.summary["events"] == 6


def test_filters_narrow_every_table():
    known_dataset()
    bulletin = bulletin_build(month=OCT, audience=NATIONAL, filters=Filters(sex="M"))
    assert _rows(bulletin.table("point_sex"))["TOTAL"] == [0, 2, 2]
    minors = bulletin_build(month=OCT, audience=NATIONAL, filters=Filters(age_group="12-17"))
    assert _rows(minors.table("age_sex"))["TOTAL"][-1] == 2
    unacc = bulletin_build(month=OCT, audience=NATIONAL, filters=Filters(vulnerability="unaccompanied_minor"))
    assert unacc.summary["events"] == 2
    by_point = bulletin_build(month=OCT, audience=NATIONAL, filters=Filters(point="MXL", state="MN"))
    assert by_point.table("point_sex").row_keys == ["MXL"]
    assert by_point.summary["events"] == 1


def test_a_month_without_events_gives_zero_tables_not_errors():
    known_dataset()
    bulletin = bulletin_build(month=date(2025, 3, 1), audience=Audience.public())
    assert bulletin.summary["events"] == 0
    assert _rows(bulletin.table("point_sex"))["TOTAL"] == [0, 0, 0]
