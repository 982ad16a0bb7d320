"""Reads for the policy app: catalog, progress reports in the user's scope, coverage of lines by
reports, and indicator values for a period."""

import logging
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from retorno.accounts.models import Role
from retorno.policy import access
from retorno.policy.models import (
    GcmObjective,
    Indicator,
    IndicatorSnapshot,
    PemLine,
    PemObjective,
    ProgressReport,
)
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
    state: str  # "ok" | "no_data" | "unavailable" | "error" | "pending" (not computed yet)
    progress_pct: float | None = None  # value / target for "increase" indicators
    met: bool | None = None
    computed_at: object | None = None  # when read from a stored snapshot

    @property
    def available(self) -> bool:
        return self.state == "ok"


def indicator_raw(indicator: Indicator, period: ReportingPeriod) -> tuple[float | None, str]:
    """(the query's result, state) of one indicator for the period, from the statistics
    registry. A query name that is not registered gives state "unavailable"; a failing query is
    logged and gives "error" - a report must still render when one query is broken."""
    try:
        value = registry.compute(indicator.query, period.stats_period, registry.Filters())
    except KeyError:
        return None, "unavailable"
    except Exception:  # noqa: BLE001 - one broken query must not break the whole report
        log.exception("indicator query %s failed", indicator.query)
        return None, "error"
    return (None if value is None else float(value)), "ok"


def indicator_value(indicator: Indicator, period: ReportingPeriod) -> IndicatorValue:
    """One indicator computed now for the period (None from the query: state "no_data")."""
    return evaluated(indicator, *indicator_raw(indicator, period))


def evaluated(indicator: Indicator, value: float | None, state: str = "ok") -> IndicatorValue:
    """The indicator's value from its query's result: scaled, and set against its target."""
    if state != "ok" or value is None:
        return IndicatorValue(indicator, None, "no_data" if state == "ok" else state)
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


def _indicators(indicators=None):
    return Indicator.objects.prefetch_related("pem_lines", "gcm_objectives") if indicators is None else indicators


def indicator_values(period: ReportingPeriod, indicators=None, progress=None) -> list[IndicatorValue]:
    """Every indicator computed now (slow: the background jobs call this). `progress(done, total,
    step)` hears of each one."""
    indicators = list(_indicators(indicators))
    values = []
    for done, ind in enumerate(indicators):
        if progress is not None:
            progress(done, len(indicators), ind.name)
        values.append(indicator_value(ind, period))
    return values


@dataclass
class StoredValues:
    values: list[IndicatorValue]
    computed_at: object | None  # the oldest snapshot's time; None when some are missing

    @property
    def complete(self) -> bool:
        return self.computed_at is not None


def indicator_values_stored(period: ReportingPeriod) -> StoredValues:
    """The values last computed for the period (policy.jobs computes them); state "pending" for
    an indicator not computed yet. One query: fast at any volume."""
    indicators = list(_indicators())
    snapshots = {
        s.indicator_id: s for s in IndicatorSnapshot.objects.filter(period_code=period.code, indicator__in=indicators)
    }
    values = []
    for ind in indicators:
        snap = snapshots.get(ind.pk)
        if snap is None:
            values.append(IndicatorValue(ind, None, "pending"))
        else:
            value = evaluated(ind, snap.value, snap.state)
            value.computed_at = snap.computed_at
            values.append(value)
    complete = len(snapshots) == len(indicators)
    oldest = min((s.computed_at for s in snapshots.values()), default=None) if complete else None
    return StoredValues(values=values, computed_at=oldest)
