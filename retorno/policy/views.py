"""Policy pages: catalog, line detail, progress reports (file, edit, review), coverage,
indicators and the report generator. Views parse, call a service or selector, and render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from retorno.accounts.permissions import Perm, requires
from retorno.core.errors import messages_add_service_errors
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.core.pagination import page_of
from retorno.directory.models import Institution
from retorno.jobs.services import job_start
from retorno.jobs.views import job_redirect
from retorno.policy import access, selectors, services
from retorno.policy.forms import ProgressReportForm, format_figures
from retorno.policy.models import (
    GcmObjective,
    PemLine,
    PemObjective,
    PemStrategy,
    ProgressEvidence,
    ProgressReport,
)
from retorno.policy.periods import ReportingPeriod, current_period, parse_period, previous_period
from retorno.policy.report import FORMATS, indicator_cells


def _int(value) -> int | None:
    return int(value) if str(value or "").isdigit() and len(str(value)) < 10 else None


def _period_or_default(value: str, default: ReportingPeriod) -> tuple[ReportingPeriod, str]:
    """The requested period, or the default with an error message for a bad code."""
    if not value:
        return default, ""
    try:
        return parse_period(value), ""
    except ValidationError as exc:
        return default, exc.messages[0]


def _filters(request) -> dict:
    return {
        "objective": request.GET.get("objective", "")[:8],
        "strategy": request.GET.get("strategy", "")[:8],
        "gcm": _int(request.GET.get("gcm")),
    }


def _filter_context() -> dict:
    return {
        "objectives": PemObjective.objects.all(),
        "strategies": PemStrategy.objects.all(),
        "gcm_objectives": GcmObjective.objects.all(),
        "institutions": Institution.objects.filter(active=True),
    }


@requires(Perm.POLICY_READ)
def catalog(request):
    filters = _filters(request)
    lines = selectors.lines_filtered(**filters).prefetch_related("gcm_objectives", "indicators")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        lines = lines.filter(text__icontains=q)
    return render(
        request, "policy/catalog.html", {"lines": lines, "filters": filters, "q": q, **_filter_context()}
    )


@requires(Perm.POLICY_READ)
def gcm_list(request):
    return render(
        request, "policy/gcm_list.html", {"gcm": selectors.gcm_objectives().prefetch_related("indicators")}
    )


@requires(Perm.POLICY_READ)
def line_detail(request, code: str):
    line = get_object_or_404(PemLine.objects.select_related("strategy__objective"), code=code)
    reports = selectors.reports_visible(request.user).filter(line=line).order_by("-period_start")
    return render(
        request,
        "policy/line_detail.html",
        {"line": line, "reports": reports, "can_file": access.can_file(request.user)},
    )


@requires(Perm.POLICY_READ)
def report_list(request):
    reports = selectors.reports_visible(request.user).order_by("-period_start", "line__position")
    period, error = None, ""
    if request.GET.get("period"):
        try:
            period = parse_period(request.GET["period"])
        except ValidationError as exc:
            error = exc.messages[0]
    if period:
        reports = selectors.reports_in_period(reports, period)
    if inst := _int(request.GET.get("institution")):
        reports = reports.filter(institution_id=inst)
    if (status := request.GET.get("status", "")) in ProgressReport.Status.values:
        reports = reports.filter(status=status)
    if request.GET.get("reviewed") == "no":
        reports = reports.filter(reviewed_at__isnull=True)
    elif request.GET.get("reviewed") == "yes":
        reports = reports.filter(reviewed_at__isnull=False)
    page = page_of(request, reports)
    return render(
        request,
        "policy/report_list.html",
        {
            "page": page,
            "error": error,
            "statuses": ProgressReport.Status.choices,
            "can_file": access.can_file(request.user),
            **_filter_context(),
        },
    )


def _apply_errors(form, exc: ValidationError) -> None:
    for field, msgs in exc.message_dict.items():
        target = field if field in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)


@requires(Perm.POLICY_FILE)
def report_new(request):
    if not access.can_file(request.user):
        raise AccessDenied
    initial = {"line": request.GET.get("line", "")[:10], "period": current_period().code}
    form = ProgressReportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        institution = data.get("institution")
        response = _submit(
            request,
            form,
            lambda: services.progress_report_file(
                user=request.user,
                line_code=data["line"],
                institution_id=institution.pk if institution else None,
                period=data["period"],
                **_report_fields(request, data),
            ),
            _("Informe de avance registrado."),
        )
        if response:
            return response
    return _render_form(request, form)


def _report_fields(request, data: dict) -> dict:
    keys = ("status", "narrative", "figures", "evidence_links")
    return {**{k: data[k] for k in keys}, "evidence_files": request.FILES.getlist("evidence_files")}


def _submit(request, form, call, success: str):
    """Run the service call; on success redirect to the report, else put its errors on the form."""
    try:
        report = call()
    except ValidationError as exc:
        _apply_errors(form, exc)
    except DomainError as exc:
        form.add_error(None, exc.message)
    else:
        messages.success(request, success)
        return redirect("policy:report_detail", pk=report.pk)
    return None


def _render_form(request, form, report=None):
    max_mb = services.max_evidence_bytes() // (1024 * 1024)
    return render(request, "policy/report_form.html", {"form": form, "report": report, "max_mb": max_mb})


def _visible_report(request, pk: int) -> ProgressReport:
    report = selectors.reports_visible(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@requires(Perm.POLICY_REVIEW)
@require_POST
def report_review(request, pk: int):
    report = _visible_report(request, pk)
    try:
        services.progress_report_review(user=request.user, report=report, note=request.POST.get("note", ""))
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("Informe marcado como revisado."))
    return redirect("policy:report_detail", pk=report.pk)


@requires(Perm.POLICY_READ)
@require_GET
def report_detail(request, pk: int):
    report = _visible_report(request, pk)
    return render(
        request,
        "policy/report_detail.html",
        {
            "report": report,
            "can_review": access.can_review(request.user) and not report.reviewed_at,
            "can_edit": access.can_file_for(request.user, report.institution) and not report.reviewed_at,
        },
    )


@requires(Perm.POLICY_FILE)
def report_edit(request, pk: int):
    report = _visible_report(request, pk)
    if not access.can_file_for(request.user, report.institution):
        raise AccessDenied
    initial = {
        "status": report.status,
        "narrative": report.narrative,
        "figures": format_figures(report.figures),
        "evidence_links": "\n".join(report.evidence_links),
    }
    form = ProgressReportForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        response = _submit(
            request,
            form,
            lambda: services.progress_report_update(
                user=request.user, report=report, **_report_fields(request, data)
            ),
            _("Informe actualizado."),
        )
        if response:
            return response
    return _render_form(request, form, report)


@requires(Perm.POLICY_READ)
def evidence_download(request, pk: int):
    evidence = get_object_or_404(ProgressEvidence.objects.select_related("report"), pk=pk)
    _visible_report(request, evidence.report_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type=evidence.content_type, as_attachment=True, filename=evidence.original_name
    )


def _coverage_periods(request) -> tuple[list[ReportingPeriod], str, str]:
    granularity = request.GET.get("by", "S") if request.GET.get("by") in ("S", "T", "Y") else "S"
    today = timezone.localdate()
    last, error = _period_or_default(
        request.GET.get("until", ""), current_period(today, kind="Y" if granularity == "Y" else "S")
    )
    if granularity == "T" and "-T" not in last.code:
        last = parse_period(f"{last.end.year}-T{(min(last.end, today).month - 1) // 3 + 1}")
    elif granularity == "S" and "-S" not in last.code:
        last = parse_period(f"{last.end.year}-S{1 if min(last.end, today).month <= 6 else 2}")
    elif granularity == "Y":
        last = parse_period(str(last.end.year))
    periods = [last]
    count = {"S": 4, "T": 4, "Y": 3}[granularity]
    while len(periods) < count and periods[-1].start.year > 2000:
        periods.append(previous_period(periods[-1]))
    return list(reversed(periods)), granularity, error


@requires(Perm.POLICY_READ)
def coverage(request):
    periods, granularity, error = _coverage_periods(request)
    filters = _filters(request)
    table = selectors.coverage(
        user=request.user, periods=periods, institution_id=_int(request.GET.get("institution")), **filters
    )
    rows = table.rows
    if request.GET.get("gaps") == "1":
        rows = [r for r in rows if not r.cells[-1]]
    return render(
        request,
        "policy/coverage.html",
        {
            "table": table,
            "rows": rows,
            "granularity": granularity,
            "error": error,
            "filters": filters,
            "summary": list(zip(periods, table.covered, strict=True)),
            **_filter_context(),
        },
    )


@requires(Perm.POLICY_READ)
def indicators(request):
    """The indicators of a period as last computed in the background; POST computes them again
    (a job: some queries read a whole year of events)."""
    if request.method == "POST":
        period, error = _period_or_default(request.POST.get("period", ""), current_period(kind="Y"))
        if not error:
            job = job_start(user=request.user, kind="policy_indicators", params={"period": period.code})
            return job_redirect(request, job)
    else:
        period, error = _period_or_default(request.GET.get("period", ""), current_period(kind="Y"))
    stored = selectors.indicator_values_stored(period)
    rows = [(iv, indicator_cells(iv)) for iv in stored.values]
    return render(
        request, "policy/indicators.html", {"rows": rows, "period": period, "error": error, "stored": stored}
    )


@requires(Perm.POLICY_READ)
def generate(request):
    """The report generator: a form; sending it starts the document in the background and leads
    to the job's page, where it is downloaded when ready."""
    source = request.POST if request.method == "POST" else request.GET
    period, error = _period_or_default(source.get("period", ""), current_period(kind="Y"))
    fmt = source.get("format", "pdf")
    if request.method == "POST" and not error:
        if fmt not in FORMATS:
            error = _("Formato desconocido: elija PDF o DOCX.")
        else:
            job = job_start(user=request.user, kind="policy_report", params={"period": period.code, "format": fmt})
            return job_redirect(request, job)
    return render(request, "policy/generate.html", {"period": period, "error": error, "formats": FORMATS})
