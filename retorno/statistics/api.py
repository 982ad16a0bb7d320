"""Statistics API: bulletin tables and indicator values as JSON (aggregates only).

Analysts and the public get suppressed figures; supervisors and admins exact figures of their
scope. Every answer carries `data_as_of`, the time the pre-aggregated counts were rebuilt.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema

from retorno.accounts.permissions import Perm, api_requires, open_to_public
from retorno.statistics.aggregates import month_end
from retorno.statistics.bulletin import Bulletin, bulletin_build, table_keys
from retorno.statistics.disclosure import threshold
from retorno.statistics.forms import MSG_POINT_OUT_OF_SCOPE, parse_filters, parse_period
from retorno.statistics.queries import indicator_value
from retorno.statistics.registry import Period, available
from retorno.statistics.selectors import Audience, aggregated_months, audience_for, data_as_of, points_for
from retorno.statistics.services import aggregates_refresh

router = Router()

FILTER_KEYS = ("month", "point", "state", "sex", "age_group", "vulnerability")


def _query(request, keys=FILTER_KEYS) -> dict:
    return {k: request.GET.get(k, "")[:40] for k in keys if request.GET.get(k)}


def _bulletin_payload(bulletin: Bulletin) -> dict:
    return {
        "month": bulletin.month.isoformat()[:7],
        "data_as_of": bulletin.as_of.isoformat() if bulletin.as_of else None,
        "suppressed": bulletin.audience.suppressed,
        "min_cell": threshold() if bulletin.audience.suppressed else None,
        "filters": {k: v for k, v in bulletin.filters.__dict__.items() if v},
        "summary": bulletin.summary,
        "tables": [t.as_dict() for t in bulletin.tables],
    }


def _bulletin_for(request, audience: Audience, *, with_filters: bool) -> Bulletin:
    data = _query(request) if with_filters else _query(request, ("month",))
    month, filters = parse_filters(data, points=points_for(audience), bulletin=True)
    return bulletin_build(month=month, audience=audience, filters=filters)


@router.get("/bulletin", summary="Monthly bulletin (all tables)")
@api_requires(Perm.STATISTICS_READ)
def bulletin(request):
    """Query: month=AAAA-MM (default: latest month with events), point, state, sex (H/M),
    age_group (0-11, 12-17, 18+), vulnerability (unaccompanied_minor, accompanied_minor, woman,
    older_adult). Tables list rows, columns and `values` (rows then the totals row; each row ends
    with its total; null = suppressed)."""
    return _bulletin_payload(_bulletin_for(request, audience_for(request.user), with_filters=True))


@router.get("/bulletin/{table}", summary="One bulletin table")
@api_requires(Perm.STATISTICS_READ)
def bulletin_table(request, table: str):
    if table not in table_keys():
        raise Http404
    built = _bulletin_for(request, audience_for(request.user), with_filters=True)
    return built.table(table).as_dict()


@router.get("/public/bulletin", auth=None, summary="Monthly bulletin, open data (no login)")
@open_to_public
def public_bulletin(request):
    """The national bulletin with small cells suppressed; only `month` is accepted."""
    return _bulletin_payload(_bulletin_for(request, Audience.public(), with_filters=False))


class StatisticsIndicatorOut(Schema):
    name: str
    unit: str
    description: str
    value: float | None
    suppressed: bool


class IndicatorsOut(Schema):
    start: str
    end: str
    data_as_of: str | None
    indicators: list[StatisticsIndicatorOut]


def _indicators(request, names: list[str]) -> dict:
    audience = audience_for(request.user)
    first, last = parse_period(request.GET.get("start"), request.GET.get("end"))
    _month, filters = parse_filters(_query(request, FILTER_KEYS[1:]), points=points_for(audience))
    if audience.points is not None:
        codes = list(points_for(audience).values_list("code", flat=True))
        if filters.point not in codes:
            if filters.point:
                raise ValidationError({"point": [MSG_POINT_OUT_OF_SCOPE]})
            if not codes:
                return {
                    "start": f"{first:%Y-%m}",
                    "end": f"{last:%Y-%m}",
                    "data_as_of": None,
                    "indicators": [],
                }
            filters = dataclasses.replace(filters, point=codes[0])
    period = Period(first, month_end(last))
    values = [indicator_value(n, period, filters, suppressed=audience.suppressed) for n in names]
    as_of = data_as_of(first, last)
    return {
        "start": f"{first:%Y-%m}",
        "end": f"{last:%Y-%m}",
        "data_as_of": as_of.isoformat() if as_of else None,
        "indicators": [v.__dict__ | {"description": str(v.description)} for v in values],
    }


@router.get("/indicators", response=IndicatorsOut, summary="All indicator values")
@api_requires(Perm.STATISTICS_READ)
def indicators(request):
    """Query: start, end (AAAA-MM, whole months; default the latest month), point, state, sex,
    age_group, vulnerability (also indigenous, no_documents)."""
    return _indicators(request, sorted(available()))


@router.get("/indicators/{name}", response=IndicatorsOut, summary="One indicator value")
@api_requires(Perm.STATISTICS_READ)
def indicator(request, name: str):
    if name not in available():
        raise Http404
    return _indicators(request, [name])


class FreshnessOut(Schema):
    month: str
    data_as_of: str
    events: int | None


@router.get("/freshness", response=list[FreshnessOut], summary="When each month's figures were rebuilt")
@api_requires(Perm.STATISTICS_READ)
def freshness(request):
    audience = audience_for(request.user)
    return [
        {
            "month": m.month.isoformat()[:7],
            "data_as_of": m.refreshed_at.isoformat(),
            # National event totals would bypass suppression; analysts see them only when safe.
            "events": m.events
            if not audience.suppressed or m.events == 0 or m.events >= threshold()
            else None,
        }
        for m in aggregated_months()[:240]
    ]


class RefreshIn(Schema):
    start: str
    end: str | None = None


@router.post("/refresh", response=list[FreshnessOut], summary="Rebuild the aggregates of some months")
@api_requires(Perm.STATISTICS_REFRESH)
def refresh(request, payload: RefreshIn):
    audience_for(request.user)
    first, last = parse_period(payload.start, payload.end or payload.start)
    records = aggregates_refresh(first=first, last=last)
    return [
        {"month": r.month.isoformat()[:7], "data_as_of": r.refreshed_at.isoformat(), "events": None}
        for r in records
    ]
