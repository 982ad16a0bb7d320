"""Policy API: the PEM / Global Compact catalog, indicator values for a period, agencies' progress
reports (list, file, review), coverage of lines by reports, and the report document."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from retorno.accounts.permissions import Perm, api_requires
from retorno.core.api_types import Id
from retorno.jobs.api import JobOut
from retorno.jobs.services import job_start
from retorno.policy import selectors, services
from retorno.policy.models import ProgressReport
from retorno.policy.periods import parse_period

router = Router()


class LineOut(Schema):
    code: str
    text: str
    strategy: str
    objective: str
    gcm_objectives: list[int]


class StrategyOut(Schema):
    code: str
    title: str
    lines: list[str]


class ObjectiveOut(Schema):
    code: str
    title: str
    description: str
    strategies: list[StrategyOut]


class GcmOut(Schema):
    number: int
    title_es: str
    title_en: str
    pem_lines: list[str]
    commitments_2018: list[str]


class PolicyIndicatorOut(Schema):
    code: str
    name: str
    query: str
    unit: str
    direction: str
    target_value: float | None
    target_year: int | None
    value: float | None
    state: str  # ok | no_data | unavailable | error | pending (not computed yet)
    computed_at: datetime | None
    progress_pct: float | None
    target_met: bool | None
    pem_lines: list[str]
    gcm_objectives: list[int]


class FigureIn(Schema):
    label: str
    value: float
    unit: str = ""


class ReportIn(Schema):
    line: str
    period: str
    status: str
    narrative: str
    institution_id: Id | None = None
    figures: list[FigureIn] = []
    evidence_links: list[str] = []


class ReportOut(Schema):
    id: int
    line: str
    institution_id: int
    institution: str
    order: str
    period: str
    period_start: date
    period_end: date
    status: str
    narrative: str
    figures: list[dict]
    evidence_links: list[str]
    evidence_files: list[str]
    created_by: str
    created_at: datetime
    reviewed: bool
    reviewed_at: datetime | None
    review_note: str


class ReviewIn(Schema):
    note: str = ""


class ReportFilters(Schema):
    period: str | None = None
    line: str | None = None
    institution_id: Id | None = None
    status: str | None = None
    reviewed: bool | None = None


class CoverageRowOut(Schema):
    line: str
    reports: list[list[int]]  # report ids per period


class CoverageOut(Schema):
    periods: list[str]
    lines_total: int
    lines_covered: list[int]
    rows: list[CoverageRowOut]


def _report_out(r: ProgressReport) -> dict:
    return {
        "id": r.pk,
        "line": r.line.code,
        "institution_id": r.institution_id,
        "institution": str(r.institution),
        "order": r.order,
        "period": r.period,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "status": r.status,
        "narrative": r.narrative,
        "figures": r.figures,
        "evidence_links": r.evidence_links,
        "evidence_files": [e.original_name for e in r.evidence_files.all()],
        "created_by": r.created_by.get_username(),
        "created_at": r.created_at,
        "reviewed": r.reviewed_at is not None,
        "reviewed_at": r.reviewed_at,
        "review_note": r.review_note,
    }


@router.get(
    "/objectives", response=list[ObjectiveOut], summary="PEM objectives with strategies and line codes"
)
@api_requires(Perm.POLICY_READ)
def objectives(request):
    return [
        {
            "code": o.code,
            "title": o.title,
            "description": o.description,
            "strategies": [
                {"code": s.code, "title": s.title, "lines": [line.code for line in s.lines.all()]}
                for s in o.strategies.all()
            ],
        }
        for o in selectors.objectives_with_catalog()
    ]


@router.get(
    "/lines", response=list[LineOut], summary="PEM lines of action (filter by objective, strategy, gcm)"
)
@api_requires(Perm.POLICY_READ)
def lines(
    request, objective: str = "", strategy: str = "", gcm: Annotated[int, Field(ge=1, le=1000)] | None = None
):
    qs = selectors.lines_filtered(objective=objective[:8], strategy=strategy[:8], gcm=gcm).prefetch_related(
        "gcm_objectives"
    )
    return [
        {
            "code": line.code,
            "text": line.text,
            "strategy": line.strategy.code,
            "objective": line.strategy.objective.code,
            "gcm_objectives": [g.number for g in line.gcm_objectives.all()],
        }
        for line in qs
    ]


@router.get("/gcm-objectives", response=list[GcmOut], summary="The 23 Global Compact objectives")
@api_requires(Perm.POLICY_READ)
def gcm_objectives(request):
    return [
        {
            "number": g.number,
            "title_es": g.title_es,
            "title_en": g.title_en,
            "pem_lines": [line.code for line in g.pem_lines.all()],
            "commitments_2018": g.commitments_2018,
        }
        for g in selectors.gcm_objectives()
    ]


class PeriodIn(Schema):
    period: str


class DocumentIn(Schema):
    period: str
    format: Literal["pdf", "docx"] = "pdf"


@router.get(
    "/indicators",
    response=list[PolicyIndicatorOut],
    summary="Indicators with their values for a period, as last computed (state pending: not yet)",
)
@api_requires(Perm.POLICY_READ)
def indicators(request, period: str):
    values = selectors.indicator_values_stored(parse_period(period)).values
    return [
        {
            "code": iv.indicator.code,
            "name": iv.indicator.name,
            "query": iv.indicator.query,
            "unit": iv.indicator.unit,
            "direction": iv.indicator.direction,
            "target_value": iv.indicator.target_value,
            "target_year": iv.indicator.target_year,
            "value": iv.value,
            "state": iv.state,
            "computed_at": iv.computed_at,
            "progress_pct": iv.progress_pct,
            "target_met": iv.met,
            "pem_lines": [line.code for line in iv.indicator.pem_lines.all()],
            "gcm_objectives": [g.number for g in iv.indicator.gcm_objectives.all()],
        }
        for iv in values
    ]


@router.get("/reports", response=list[ReportOut], summary="Progress reports visible to the user")
@paginate
@api_requires(Perm.POLICY_READ)
def report_list(request, filters: Query[ReportFilters]):
    qs = (
        selectors.reports_visible(request.user)
        .prefetch_related("evidence_files")
        .order_by("-period_start", "id")
    )
    if filters.period:
        qs = selectors.reports_in_period(qs, parse_period(filters.period))
    if filters.line:
        qs = qs.filter(line__code=filters.line)
    if filters.institution_id:
        qs = qs.filter(institution_id=filters.institution_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.reviewed is not None:
        qs = qs.filter(reviewed_at__isnull=not filters.reviewed)
    return [_report_out(r) for r in qs]


@router.post("/reports", response={201: ReportOut}, summary="File a progress report (caseworkers, admins)")
@api_requires(Perm.POLICY_FILE)
def report_create(request, payload: ReportIn):
    report = services.progress_report_file(
        user=request.user,
        line_code=payload.line,
        institution_id=payload.institution_id,
        period=payload.period,
        status=payload.status,
        narrative=payload.narrative,
        figures=[f.dict() for f in payload.figures],
        evidence_links=payload.evidence_links,
    )
    return Status(201, _report_out(report))


def _report(request, report_id: int) -> ProgressReport:
    return selectors.reports_visible(request.user).get(pk=report_id)


@router.get("/reports/{report_id}", response=ReportOut)
@api_requires(Perm.POLICY_READ)
def report_detail(request, report_id: int):
    return _report_out(_report(request, report_id))


@router.post(
    "/reports/{report_id}/evidence", response={201: ReportOut}, summary="Attach evidence files (PDF/PNG/JPEG)"
)
@api_requires(Perm.POLICY_FILE)
def report_evidence(request, report_id: int, files: File[list[UploadedFile]]):
    report = _report(request, report_id)
    report = services.progress_report_update(
        user=request.user,
        report=report,
        status=report.status,
        narrative=report.narrative,
        figures=report.figures,
        evidence_links=report.evidence_links,
        evidence_files=files,
    )
    return Status(201, _report_out(report))


@router.post(
    "/reports/{report_id}/review", response=ReportOut, summary="Mark as reviewed (national supervisors)"
)
@api_requires(Perm.POLICY_REVIEW)
def report_review(request, report_id: int, payload: ReviewIn):
    report = services.progress_report_review(
        user=request.user, report=_report(request, report_id), note=payload.note
    )
    return _report_out(report)


@router.get("/coverage", response=CoverageOut, summary="Lines x periods: which lines have reports")
@api_requires(Perm.POLICY_READ)
def coverage(
    request,
    periods: str,
    objective: str = "",
    strategy: str = "",
    gcm: Annotated[int, Field(ge=1, le=1000)] | None = None,
    institution_id: Id | None = None,
):
    """`periods`: comma-separated period codes, e.g. `2026-S1,2026-S2` (at most 12)."""
    codes = [p for p in periods.split(",") if p.strip()][:12]
    if not codes:
        parse_period("")  # raises the standard message
    parsed = [parse_period(p) for p in codes]
    table = selectors.coverage(
        user=request.user,
        periods=parsed,
        objective=objective[:8],
        strategy=strategy[:8],
        gcm=gcm,
        institution_id=institution_id,
    )
    return {
        "periods": [p.code for p in parsed],
        "lines_total": table.total_lines,
        "lines_covered": table.covered,
        "rows": [
            {"line": row.line.code, "reports": [[r.pk for r in cell] for cell in row.cells]}
            for row in table.rows
        ],
    }


@router.post(
    "/indicators/compute",
    response={202: JobOut},
    summary="Compute the period's indicators in the background (follow the job at /api/jobs/{id})",
)
@api_requires(Perm.POLICY_READ)
def indicators_compute(request, payload: PeriodIn):
    period = parse_period(payload.period)
    return Status(202, job_start(user=request.auth, kind="policy_indicators", params={"period": period.code}))


@router.post(
    "/documents",
    response={202: JobOut},
    summary="Prepare the period's report as PDF or DOCX in the background; download it from the job",
)
@api_requires(Perm.POLICY_READ)
def document(request, payload: DocumentIn):
    period = parse_period(payload.period)
    job = job_start(
        user=request.auth, kind="policy_report", params={"period": period.code, "format": payload.format}
    )
    return Status(202, job)
