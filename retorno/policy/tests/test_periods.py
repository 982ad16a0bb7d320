from datetime import date

import pytest
from django.core.exceptions import ValidationError

from retorno.policy.periods import MSG_BAD_PERIOD, current_period, parse_period, previous_period


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-S1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-s2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2024-T1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_period_codes_parse_to_inclusive_date_ranges(code, start, end):
    period = parse_period(code)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("code", ["", None, "26", "2026-S3", "2026-T5", "1999", "2026-01", "x" * 500])
def test_invalid_period_codes_raise_a_field_error(code):
    with pytest.raises(ValidationError) as exc:
        parse_period(code)
    assert exc.value.message_dict["period"] == [str(MSG_BAD_PERIOD)]


def test_previous_and_current_semester():
    now = current_period(date(2026, 11, 24))
    assert now.code == "2026-S2"
    assert previous_period(now).code == "2026-S1"
    assert previous_period(parse_period("2026-S1")).code == "2025-S2"
    assert parse_period("2026").contains(now)
