"""Reads for the policy app: catalog, progress reports in the user's scope, coverage of lines by
reports, and indicator values for a period."""

import logging
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from retorno.accounts.models import Role
from retorno.policy import access
from retorno.policy.models import GcmObjective, Indicator, PemLine, PemObjective, ProgressReport
from retorno.policy.periods import ReportingPeriod
from retorno.statistics import registry

log = logging.getLogger(__name__)


def objectives_with_catalog() -> QuerySet[PemObjective]:
    """PEM objectives with strategies, lines and each line's Compact objectives prefetched."""
    lines = PemLine.objects.prefetch_related("gcm_objectives")
    return PemObjective.objects.prefetch_related("strategies", Prefetch("strategies__lines", queryset=lines))


def lines_filtered(*, objective: str = "", strategy: str = "", gcm: int | None = None) -> QuerySet[PemLine]:
    qs = PemLine.objects.select_related("strategy__objective")
    if objective:
        qs = qs.filter(strategy__objective__code=objective)
    if strategy:
        qs = qs.filter(strategy__code=strategy)
    if gcm:
        qs = qs.filter(gcm_objectives__number=gcm)
    return qs.order_by("position").distinct()


def gcm_objectives() -> QuerySet[GcmObjective]:
    return GcmObjective.objects.prefetch_related("pem_lines")


def reports_visible(user) -> QuerySet[ProgressReport]:
    """Progress reports the user may read: all for supervisors, analysts and admins; a caseworker's
    own institution only; none for other roles."""
    qs = ProgressReport.objects.select_related(
        "line__strategy__objective", "institution", "created_by", "reviewed_by"
    )
    if not access.can_read(user):
        return qs.none()
    if user.role == Role.CASEWORKER and not user.is_admin_role:
        return qs.filter(institution_id=user.institution_id)
    return qs


def reports_in_period(qs: QuerySet[ProgressReport], period: ReportingPeriod) -> QuerySet[ProgressReport]:
    """Reports whose period lies inside `period` (a semester report counts for its year)."""
    return qs.filter(period_start__gte=period.start, period_end__lte=period.end)


@dataclass
class CoverageRow:
    line: PemLine
    cells: list[list[ProgressReport]]  # one list of reports per period column

    @property
    def covered_everywhere(self) -> bool:
        return all(self.cells)


@dataclass
class Coverage:
    periods: list[ReportingPeriod]
    rows: list[CoverageRow]
    covered: list[int] = field(default_factory=list)  # lines with >= 1 report, per period

    @property
    def total_lines(self) -> int:
        return len(self.rows)

    def gaps(self, index: int) -> list[PemLine]:
        return [row.line for row in self.rows if not row.cells[index]]


def coverage(
    *,
    user,
    periods: list[ReportingPeriod],
    objective: str = "",
    strategy: str = "",
    institution_id: int | None = None,
    gcm: int | None = None,
) -> Coverage:
    """Lines x periods: which lines have at least one report (of `institution_id`, if given) in each
    period. Reports come from the user's visible scope."""
    lines = list(lines_filtered(objective=objective, strategy=strategy, gcm=gcm))
    reports = reports_visible(user).filter(line__in=lines)
    if institution_id:
        reports = reports.filter(institution_id=institution_id)
    if periods:
        reports = reports.filter(
            period_start__gte=min(p.start for p in periods), period_end__lte=max(p.end for p in periods)
        )
    by_line: dict[int, list[ProgressReport]] = {}
    for report in reports:
        by_line.setdefault(report.line_id, []).append(report)
    rows = []
    for line in lines:
        mine = by_line.get(line.pk, [])
        cells = [[r for r in mine if p.start <= r.period_start and r.period_end <= p.end] for p in periods]
        rows.append(CoverageRow(line=line, cells=cells))
    covered = [sum(1 for row in rows if row.cells[i]) for i in range(len(periods))]
    return Coverage(periods=periods, rows=rows, covered=covered)


@dataclass
class IndicatorValue:
    indicator: Indicator
    value: float | None
    state: str  # "ok" | "no_data" | "unavailable" | "error"
    progress_pct: float | None = None  # value / target for "increase" indicators
    met: bool | None = None

    @property
    def available(self) -> bool:
        return self.state == "ok"


def indicator_value(indicator: Indicator, period: ReportingPeriod) -> IndicatorValue:
    """Compute one indicator for the period through the statistics registry. A query name that is
    not registered gives state "unavailable"; None gives "no_data"; a failing query is logged and
    gives "error" - a report must still render when one query is broken."""
    try:
        value = registry.compute(indicator.query, period.stats_period, registry.Filters())
    except KeyError:
        return IndicatorValue(indicator, None, "unavailable")
    except Exception:  # noqa: BLE001 - one broken query must not break the whole report
        log.exception("indicator query %s failed", indicator.query)
        return IndicatorValue(indicator, None, "error")
    if value is None:
        return IndicatorValue(indicator, None, "no_data")
    value = float(value) * indicator.scale
    result = IndicatorValue(indicator, value, "ok")
    if indicator.target_value is not None:
        if indicator.direction == Indicator.Direction.INCREASE:
            result.met = value >= indicator.target_value
            if indicator.target_value:
                result.progress_pct = round(100 * value / indicator.target_value, 1)
        else:
            result.met = value <= indicator.target_value
    return result


def indicator_values(period: ReportingPeriod, indicators=None) -> list[IndicatorValue]:
    indicators = (
        Indicator.objects.prefetch_related("pem_lines", "gcm_objectives")
        if indicators is None
        else indicators
    )
    return [indicator_value(ind, period) for ind in indicators]
