"""The policy app's background jobs: the indicators of a period and the yearly report."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.permissions import Perm
from retorno.jobs.registry import Outcome, job_kind
from retorno.policy import selectors
from retorno.policy.periods import parse_period
from retorno.policy.report import build_report, render_file
from retorno.policy.services import indicator_snapshots_compute


@job_kind(
    "policy_indicators", label=gettext_lazy("Cálculo de indicadores de política"), permission=Perm.POLICY_READ
)
def indicators_compute(job, progress) -> Outcome:
    period = parse_period(job.params.get("period"))
    values = indicator_snapshots_compute(period, progress)
    ok = sum(1 for v in values if v.available)
    return Outcome(
        summary=_("%(ok)s de %(total)s indicadores con valor para %(period)s.")
        % {"ok": ok, "total": len(values), "period": period.code},
        url=reverse("policy:indicators") + "?" + urlencode({"period": period.code}),
    )


@job_kind("policy_report", label=gettext_lazy("Informe de avances (PDF o DOCX)"), permission=Perm.POLICY_READ)
def report_generate(job, progress) -> Outcome:
    """The report of the period, with the indicators computed afresh (and stored for the page)."""
    period = parse_period(job.params.get("period"))
    fmt = job.params.get("format", "pdf")
    values = indicator_snapshots_compute(period, lambda done, total, step: progress(done, total + 1, step))
    progress(len(values), len(values) + 1, _("Redactando el documento"))
    data = build_report(period, selectors.reports_visible(job.requested_by), values=values)
    content, content_type, filename = render_file(data, fmt)
    return Outcome(
        summary=_("Informe %(period)s listo.") % {"period": period.code},
        file_name=filename,
        content_type=content_type,
        data=content,
    )
