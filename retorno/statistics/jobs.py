"""The statistics app's background job: rebuilding the pre-aggregates (a year to date, or all)."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from retorno.accounts.permissions import Perm
from retorno.jobs.registry import Outcome, job_kind
from retorno.statistics.forms import parse_month
from retorno.statistics.services import aggregates_refresh


@job_kind(
    "statistics_refresh",
    label=gettext_lazy("Actualización de las estadísticas"),
    permission=Perm.STATISTICS_REFRESH,
)
def refresh(job, progress) -> Outcome:
    """params {"first": "YYYY-MM", "last": "YYYY-MM"}, or {} for every month (a full rebuild).
    A range is rebuilt a year at a time so the page shows progress; a full rebuild is one pass."""
    dashboard = reverse("statistics:dashboard")
    if not job.params.get("first"):
        progress(0, 1, _("Recalculando todos los meses"))
        months = len(aggregates_refresh())
        return Outcome(summary=_refreshed(months), url=dashboard)
    first, last = parse_month(job.params["first"]), parse_month(job.params["last"])
    years = list(range(first.year, last.year + 1))
    months = 0
    for done, year in enumerate(years):
        progress(done, len(years), str(year))
        months += len(
            aggregates_refresh(first=max(first, date(year, 1, 1)), last=min(last, date(year, 12, 1)))
        )
    return Outcome(summary=_refreshed(months), url=f"{dashboard}?month={last:%Y-%m}")


def _refreshed(months: int) -> str:
    return ngettext(
        "Datos actualizados: %(n)s mes recalculado.", "Datos actualizados: %(n)s meses recalculados.", months
    ) % {"n": months}


@job_kind(
    "statistics_indicators",
    label=gettext_lazy("Cálculo de indicadores de recepción"),
    permission=Perm.STATISTICS_READ,
)
def indicators_compute(job, progress) -> Outcome:
    """Every registered indicator for params {"start", "end"} (YYYY-MM) and the filters, stored
    for the indicators page (registry.computing("store"))."""
    from retorno.statistics.aggregates import month_end
    from retorno.statistics.registry import Filters, Period, available, compute, computing

    first, last = parse_month(job.params["start"]), parse_month(job.params["end"])
    filters = Filters(
        **{k: v for k, v in job.params.get("filters", {}).items() if k in Filters.__dataclass_fields__}
    )
    names = sorted(available())
    with computing("store"):
        for done, name in enumerate(names):
            progress(done, len(names), name)
            compute(name, Period(first, month_end(last)), filters)
    return Outcome(
        summary=_("%(n)s indicadores calculados.") % {"n": len(names)},
        url=reverse("statistics:indicators") + "?" + job.params.get("query", ""),
    )
