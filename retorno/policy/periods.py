"""Reporting periods: a year ("2026"), a semester ("2026-S1") or a quarter ("2026-T3")."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from retorno.statistics.registry import Period

MSG_BAD_PERIOD = _("Periodo inválido: use AAAA, AAAA-S1/S2 o AAAA-T1..T4 (por ejemplo 2026 o 2026-S1).")

_PERIOD_RE = re.compile(r"^(\d{4})(?:-([STQ])([1-4]))?$")
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class ReportingPeriod:
    code: str
    start: date  # inclusive
    end: date  # inclusive

    @property
    def stats_period(self) -> Period:
        return Period(self.start, self.end)

    def contains(self, other: "ReportingPeriod") -> bool:
        return self.start <= other.start and other.end <= self.end

    def __str__(self) -> str:
        return self.code


def _month_end(year: int, month: int) -> date:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return nxt - timedelta(days=1)


def parse_period(value: str | None) -> ReportingPeriod:
    """Parse a period code. Raises ValidationError(field 'period') when it is not one."""
    m = _PERIOD_RE.match((value or "").strip().upper())
    if not m or not MIN_YEAR <= int(m[1]) <= MAX_YEAR:
        raise ValidationError({"period": MSG_BAD_PERIOD})
    year, kind, n = int(m[1]), m[2], int(m[3] or 0)
    if kind is None:
        return ReportingPeriod(str(year), date(year, 1, 1), date(year, 12, 31))
    if kind == "S":
        if n > 2:
            raise ValidationError({"period": MSG_BAD_PERIOD})
        first = 1 + 6 * (n - 1)
        return ReportingPeriod(f"{year}-S{n}", date(year, first, 1), _month_end(year, first + 5))
    first = 1 + 3 * (n - 1)  # quarter; "Q" accepted as the English alias of "T"
    return ReportingPeriod(f"{year}-T{n}", date(year, first, 1), _month_end(year, first + 2))


def current_period(today: date | None = None, *, kind: str = "S") -> ReportingPeriod:
    """The semester (kind 'S') or year (kind 'Y') containing `today`."""
    today = today or date.today()
    if kind == "Y":
        return parse_period(str(today.year))
    return parse_period(f"{today.year}-S{1 if today.month <= 6 else 2}")


def previous_period(period: ReportingPeriod) -> ReportingPeriod:
    """The period of the same kind just before `period`."""
    return period_containing(period.start - timedelta(days=1), like=period)


def period_containing(day: date, *, like: ReportingPeriod) -> ReportingPeriod:
    if "-S" in like.code:
        return parse_period(f"{day.year}-S{1 if day.month <= 6 else 2}")
    if "-T" in like.code:
        return parse_period(f"{day.year}-T{(day.month - 1) // 3 + 1}")
    return parse_period(str(day.year))
