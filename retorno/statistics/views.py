"""Statistics pages: the internal dashboard (analysts, supervisors, admins), downloads, the public
open-data page. They parse the filters, call bulletin_build / the indicator queries, and render."""

import dataclasses

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, open_to_public, requires
from retorno.audit.services import audit_record
from retorno.jobs.services import job_start
from retorno.jobs.views import job_redirect
from retorno.reference.country import country_label
from retorno.statistics import charts, disclosure, exports
from retorno.statistics.aggregates import month_end
from retorno.statistics.bulletin import bulletin_build, monthly_series, table_keys
from retorno.statistics.forms import StatisticsFilterForm, latest_month, parse_month, parse_period
from retorno.statistics.queries import indicator_value
from retorno.statistics.registry import Filters, NotComputed, Period, available, computed_at, computing
from retorno.statistics.selectors import Audience, audience_for, points_for

MSG_NO_SCOPE = gettext_lazy("Su usuario no tiene puntos de recepción asignados.")


def _charts(bulletin, series) -> dict:
    point_sex = bulletin.table("point_sex")
    state_sex = bulletin.table("state_sex")
    age_sex = bulletin.table("age_sex")
    totals = lambda t: [row[-1] for row in t.published()[:-1]]  # noqa: E731
    states = sorted(
        zip(map(str, state_sex.row_labels), totals(state_sex), strict=True), key=lambda i: -(i[1] or 0)
    )
    sex_total = point_sex.published()[-1][:-1]
    return {
        "series": charts.column_chart(
            _("Eventos de repatriación por mes"), [(m.strftime("%Y-%m"), v) for m, v in series]
        ),
        "points": charts.hbar_chart(
            _("Por punto de recepción"),
            list(zip(map(str, point_sex.row_labels), totals(point_sex), strict=True)),
        ),
        "states": charts.hbar_chart(
            country_label("origin_chart", _("Por entidad de origen (10 principales)")),
            [s for s in states[:10] if s[1] != 0],
        ),
        "sex": charts.hbar_chart(
            _("Por sexo"), list(zip(map(str, point_sex.column_labels), sex_total, strict=True))
        ),
        "age": charts.hbar_chart(
            _("Por grupo de edad y acompañamiento"),
            list(zip(map(str, age_sex.row_labels), totals(age_sex), strict=True)),
        ),
    }


def _bulletin_context(request, audience: Audience, *, with_filters: bool) -> dict:
    form = StatisticsFilterForm(request.GET or None, points=points_for(audience), bulletin=True)
    month, filters = latest_month(), Filters()
    if form.is_bound and form.is_valid():
        month = form.month_or_latest()
        filters = form.filters() if with_filters else Filters()
    bulletin = bulletin_build(month=month, audience=audience, filters=filters)
    series = monthly_series(last=month, audience=audience, filters=filters)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else f"month={month:%Y-%m}"
    return {
        "form": form,
        "bulletin": bulletin,
        "month": month,
        "charts": _charts(bulletin, series),
        "query": query,
        "formats": exports.FORMATS,
        "min_cell": disclosure.threshold(),
    }


@requires(Perm.STATISTICS_READ)
def dashboard(request):
    audience = audience_for(request.user)
    context = _bulletin_context(request, audience, with_filters=True)
    return render(request, "statistics/dashboard.html", context)


@open_to_public
def public(request):
    context = _bulletin_context(request, Audience.public(), with_filters=False)
    return render(request, "statistics/public.html", context)


def _download(request, audience: Audience, table: str, fmt: str, *, with_filters: bool) -> HttpResponse:
    if fmt not in exports.FORMATS or (table != "bulletin" and table not in table_keys()):
        raise Http404
    form = StatisticsFilterForm(request.GET or None, points=points_for(audience), bulletin=True)
    if form.is_bound and not form.is_valid():
        return HttpResponse("; ".join(e for errs in form.errors.values() for e in errs), status=400)
    month = form.month_or_latest() if form.is_bound else latest_month()
    filters = form.filters() if form.is_bound and with_filters else Filters()
    bulletin = bulletin_build(month=month, audience=audience, filters=filters)
    tables = bulletin.tables if table == "bulletin" else [bulletin.table(table)]
    response = HttpResponse(exports.render(tables, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="retorno-{table}-{month:%Y-%m}.{fmt}"'
    return response


@requires(Perm.STATISTICS_READ)
def download(request, table: str, fmt: str):
    audience = audience_for(request.user)
    response = _download(request, audience, table, fmt, with_filters=True)
    if response.status_code == 200:
        audit_record(
            user=request.user,
            action="export",
            object_type="statistics.bulletin",
            object_id=table,
            detail={"format": fmt, "query": request.GET.urlencode()[:300], "suppressed": audience.suppressed},
        )
    return response


@open_to_public
def public_download(request, table: str, fmt: str):
    return _download(request, Audience.public(), table, fmt, with_filters=False)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires(Perm.STATISTICS_READ)
def indicators(request):
    audience = audience_for(request.user)
    form = StatisticsFilterForm(request.GET or None, points=points_for(audience))
    errors: list[str] = []
    values: list = []
    computed = None
    first = last = latest_month()
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else Filters()
        try:
            first, last = parse_period(request.GET.get("start"), request.GET.get("end"))
        except ValidationError as exc:
            errors = [m for msgs in exc.message_dict.values() for m in msgs]
        if audience.points is not None and not filters.point:
            # Scoped supervisors: the queries are national, so narrow them to a point of the scope.
            first_point = points_for(audience).first()
            if first_point is None:
                errors.append(str(MSG_NO_SCOPE))
            else:
                filters = dataclasses.replace(filters, point=first_point.code)
        if not errors:
            period = Period(first, month_end(last))
            if request.method == "POST":
                # Months of events are read: a background job computes and stores the values.
                job = job_start(
                    user=request.user,
                    kind="statistics_indicators",
                    params={
                        "start": f"{first:%Y-%m}",
                        "end": f"{last:%Y-%m}",
                        "filters": {k: v for k, v in dataclasses.asdict(filters).items() if v},
                        # A string: PostgreSQL's jsonb would reorder a dict's keys.
                        "query": _query_without_page(request),
                    },
                )
                return job_redirect(request, job)
            with computing("stored"):
                for name in sorted(available()):
                    try:
                        values.append(indicator_value(name, period, filters, suppressed=audience.suppressed))
                    except NotComputed:
                        values.append(None)
            computed = computed_at(period, filters) if all(values) else None
    return render(
        request,
        "statistics/indicators.html",
        {
            "form": form,
            "values": [v for v in values if v is not None],
            "pending": values.count(None),
            "computed_at": computed,
            "errors": errors,
            "start": first,
            "end": last,
        },
    )


@requires(Perm.STATISTICS_REFRESH)
@require_POST
def refresh(request):
    audience_for(request.user)  # statistics roles only
    try:
        month = parse_month(request.POST.get("month", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("statistics:dashboard")
    # The year to date, or everything: a background job either way (minutes at national volume).
    params = (
        {} if request.POST.get("scope") == "all" else {"first": f"{month:%Y}-01", "last": f"{month:%Y-%m}"}
    )
    job = job_start(user=request.user, kind="statistics_refresh", params=params)
    return job_redirect(request, job)
