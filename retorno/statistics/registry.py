"""Named indicator queries: the bridge between indicator definitions kept as data and case data.

An indicator definition (policy app, YAML) names a query; the query is a function registered here:

    @indicator("events_total", unit="events", description="Repatriation events")
    def events_total(period: Period, filters: Filters) -> float | None: ...

`compute(name, period, filters)` runs it. Queries return aggregates only, never personal data.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib import import_module

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # inclusive


@dataclass(frozen=True)
class Filters:
    """Optional breakdown filters; None = all."""

    point: str | None = None  # reception point code
    state: str | None = None  # state code (origin)
    sex: str | None = None  # 'H' / 'M'
    age_group: str | None = None  # '0-11', '12-17', '18+'
    vulnerability: str | None = None  # vulnerability flag code


@dataclass(frozen=True)
class IndicatorQuery:
    name: str
    unit: str
    description: str
    func: Callable[[Period, Filters], float | None] = field(repr=False)


_REGISTRY: dict[str, IndicatorQuery] = {}

# Modules that register queries; imported on first use so apps load in any order. Any app may
# add its own in `retorno/<app>/indicators.py` (e.g. referrals, follow-up): found by name.
QUERY_MODULES = ["retorno.statistics.queries", "retorno.statistics.reintegration"]
APP_QUERY_MODULE = "indicators"


def indicator(name: str, *, unit: str, description: str):
    def decorate(func):
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"Indicator query '{name}' registered twice")
        _REGISTRY[name] = IndicatorQuery(name, unit, description, func)
        return func

    return decorate


def _load() -> None:
    for module in QUERY_MODULES:
        try:
            import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    from retorno.core.hooks import app_modules

    app_modules(APP_QUERY_MODULE)


def available() -> dict[str, IndicatorQuery]:
    _load()
    return dict(_REGISTRY)


class NotComputed(Exception):
    """Read from stored values only, and this one was not computed yet (statistics.jobs)."""


# How compute() answers: "live" (run the query), "stored" (read ComputedValue, NotComputed when
# absent: for pages), "store" (run the query and keep its value: for the background job).
_mode: ContextVar[str] = ContextVar("statistics_compute_mode", default="live")


@contextmanager
def computing(mode: str):
    token = _mode.set(mode)
    try:
        yield
    finally:
        _mode.reset(token)


def filters_key(filters: Filters) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(asdict(filters).items()) if v)


def compute(name: str, period: Period, filters: Filters | None = None) -> float | None:
    """Value of the named query for the period, or None when it cannot be computed (no data).
    Raises KeyError for an unknown name; NotComputed when reading stored values only."""
    _load()
    filters = filters or Filters()
    query = _REGISTRY[name]
    mode = _mode.get()
    if mode == "live":
        return query.func(period, filters)
    from retorno.statistics.models import ComputedValue

    key = {
        "name": name,
        "period_start": period.start,
        "period_end": period.end,
        "filters": filters_key(filters),
    }
    if mode == "stored":
        row = ComputedValue.objects.filter(**key).values_list("value", "integer").first()
        if row is None:
            raise NotComputed(name)
        value, integer = row
        return int(value) if integer and value is not None else value
    value = query.func(period, filters)
    ComputedValue.objects.update_or_create(
        **key, defaults={"value": value, "integer": isinstance(value, int), "computed_at": timezone.now()}
    )
    return value


def computed_at(period: Period, filters: Filters):
    """When the stored values of the period and filters were computed (the oldest), or None."""
    from django.db.models import Min

    from retorno.statistics.models import ComputedValue

    return ComputedValue.objects.filter(
        period_start=period.start, period_end=period.end, filters=filters_key(filters)
    ).aggregate(at=Min("computed_at"))["at"]
