"""State changes of policy progress reports: file, update, attach evidence, review."""

import math
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.directory.models import Institution
from retorno.policy import access
from retorno.policy.models import PemLine, ProgressEvidence, ProgressReport
from retorno.policy.periods import parse_period

MSG_NOT_YOUR_INSTITUTION = _("Solo puede informar avances de su propia institución.")
MSG_NO_FILING_ROLE = _("Su rol no permite registrar informes de avance.")
MSG_NO_REVIEW_ROLE = _("Solo la supervisión nacional puede revisar informes de avance.")
MSG_UNKNOWN_LINE = _("Línea de acción desconocida.")
MSG_UNKNOWN_INSTITUTION = _("Institución desconocida o inactiva.")
MSG_BAD_STATUS = _("Estado inválido.")
MSG_NARRATIVE_REQUIRED = _("Describa el avance del periodo.")
MSG_NARRATIVE_TOO_LONG = _("El texto del avance es demasiado largo (máximo 10,000 caracteres).")
MSG_FUTURE_PERIOD = _("No se puede informar sobre un periodo que aún no comienza.")
MSG_DUPLICATE = _("Esta institución ya informó sobre esta línea en este periodo; edite ese informe.")
MSG_ALREADY_REVIEWED = _("El informe ya fue revisado y no puede modificarse.")
MSG_BAD_FIGURES = _("Cada cifra necesita una etiqueta (máx. 120 caracteres) y un valor numérico.")
MSG_TOO_MANY_FIGURES = _("Demasiadas cifras (máximo 30).")
MSG_BAD_LINK = _("Liga de evidencia inválida: use direcciones http:// o https://.")
MSG_TOO_MANY_LINKS = _("Demasiadas ligas de evidencia (máximo 20).")
MSG_FILE_TOO_BIG = _("El archivo «%(name)s» excede el tamaño máximo de %(mb)s MB.")
MSG_FILE_TYPE = _("El archivo «%(name)s» no es PDF, PNG ni JPEG.")
MSG_TOO_MANY_FILES = _("Demasiados archivos de evidencia (máximo %(n)s por informe).")

MAX_NARRATIVE = 10_000
MAX_FIGURES = 30
MAX_LINKS = 20
MAX_FILES = 10
# File signatures: the declared name or content type is not trusted.
_SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def max_evidence_bytes() -> int:
    return int(getattr(settings, "RETORNO_POLICY_MAX_EVIDENCE_BYTES", 5 * 1024 * 1024))


def _clean_figures(figures) -> list[dict]:
    if figures in (None, ""):
        return []
    if not isinstance(figures, list):
        raise ValidationError({"figures": MSG_BAD_FIGURES})
    if len(figures) > MAX_FIGURES:
        raise ValidationError({"figures": MSG_TOO_MANY_FIGURES})
    clean = []
    for fig in figures:
        if not isinstance(fig, dict):
            raise ValidationError({"figures": MSG_BAD_FIGURES})
        label = str(fig.get("label") or "").strip()
        value = fig.get("value")
        if isinstance(value, bool):
            value = None
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not label or len(label) > 120 or not math.isfinite(number):
            raise ValidationError({"figures": MSG_BAD_FIGURES})
        clean.append({"label": label, "value": number, "unit": str(fig.get("unit") or "")[:30]})
    return clean


def _clean_links(links) -> list[str]:
    if links in (None, ""):
        return []
    if not isinstance(links, list):
        raise ValidationError({"evidence_links": MSG_BAD_LINK})
    if len(links) > MAX_LINKS:
        raise ValidationError({"evidence_links": MSG_TOO_MANY_LINKS})
    validator = URLValidator(schemes=["http", "https"])
    clean = []
    for link in links:
        link = str(link or "").strip()
        try:
            if len(link) > 500:
                raise ValidationError(MSG_BAD_LINK)
            validator(link)
        except ValidationError:
            raise ValidationError({"evidence_links": MSG_BAD_LINK}) from None
        clean.append(link)
    return clean


def _sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in _SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


def _clean_files(files, existing: int = 0) -> list[tuple[UploadedFile, str]]:
    files = list(files or [])
    if existing + len(files) > MAX_FILES:
        raise ValidationError({"evidence_files": MSG_TOO_MANY_FILES % {"n": MAX_FILES}})
    limit = max_evidence_bytes()
    clean = []
    for upload in files:
        name = (upload.name or "archivo")[:200]
        if upload.size is None or upload.size > limit:
            mb = f"{limit / (1024 * 1024):g}"
            raise ValidationError({"evidence_files": MSG_FILE_TOO_BIG % {"name": name, "mb": mb}})
        content_type = _sniff(upload)
        if content_type is None:
            raise ValidationError({"evidence_files": MSG_FILE_TYPE % {"name": name}})
        clean.append((upload, content_type))
    return clean


def _clean_common(*, status: str, narrative: str, figures, evidence_links) -> dict:
    errors = {}
    if status not in ProgressReport.Status.values:
        errors["status"] = [MSG_BAD_STATUS]
    narrative = (narrative or "").strip()
    if not narrative:
        errors["narrative"] = [MSG_NARRATIVE_REQUIRED]
    elif len(narrative) > MAX_NARRATIVE:
        errors["narrative"] = [MSG_NARRATIVE_TOO_LONG]
    cleaned = {"status": status, "narrative": narrative}
    for key, cleaner, value in (
        ("figures", _clean_figures, figures),
        ("evidence_links", _clean_links, evidence_links),
    ):
        try:
            cleaned[key] = cleaner(value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _store_files(report: ProgressReport, files: list[tuple[UploadedFile, str]]) -> None:
    for upload, content_type in files:
        ProgressEvidence.objects.create(
            report=report,
            file=upload,
            original_name=(upload.name or "archivo")[:200],
            content_type=content_type,
            size=upload.size,
        )


def progress_report_file(
    *,
    user,
    line_code: str,
    institution_id: int | None,
    period: str,
    status: str,
    narrative: str,
    figures: list | None = None,
    evidence_links: list | None = None,
    evidence_files: list[UploadedFile] | None = None,
    today: date | None = None,
) -> ProgressReport:
    """File an agency's progress report on a PEM line for a period and return it.

    Caseworkers file for their own institution (institution_id may be omitted); admins name it.
    Raises AccessDenied (role/institution), ValidationError (field -> message) for bad input and
    DomainError when the agency already reported on the line for that period. Nothing is saved
    on error.
    """
    if not access.can_file(user):
        raise AccessDenied(MSG_NO_FILING_ROLE)
    if institution_id in (None, "") and not user.is_admin_role:
        institution_id = user.institution_id
    institution = (
        Institution.objects.filter(pk=institution_id, active=True).first() if institution_id else None
    )
    if institution is not None and not access.can_file_for(user, institution):
        raise AccessDenied(MSG_NOT_YOUR_INSTITUTION)
    errors = {}
    if institution is None:
        errors["institution"] = [MSG_UNKNOWN_INSTITUTION]
    line = PemLine.objects.filter(code=str(line_code or "").strip()).first()
    if line is None:
        errors["line"] = [MSG_UNKNOWN_LINE]
    try:
        reporting_period = parse_period(period)
        if reporting_period.start > (today or timezone.localdate()):
            errors["period"] = [MSG_FUTURE_PERIOD]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        cleaned = _clean_common(
            status=status, narrative=narrative, figures=figures, evidence_links=evidence_links
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        files = _clean_files(evidence_files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    if ProgressReport.objects.filter(
        line=line, institution=institution, period=reporting_period.code
    ).exists():
        raise DomainError(MSG_DUPLICATE, code="duplicate_report")
    try:
        with transaction.atomic():
            report = ProgressReport.objects.create(
                line=line,
                institution=institution,
                order=institution.order,
                period=reporting_period.code,
                period_start=reporting_period.start,
                period_end=reporting_period.end,
                created_by=user,
                **cleaned,
            )
            _store_files(report, files)
            audit_record(
                user=user,
                action=AuditEntry.Action.CREATE,
                obj=report,
                detail={
                    "event": "policy_report_file",
                    "line": line.code,
                    "period": report.period,
                    "status": report.status,
                },
            )
    except IntegrityError:  # a concurrent filing won the race
        raise DomainError(MSG_DUPLICATE, code="duplicate_report") from None
    return report


@transaction.atomic
def progress_report_update(
    *,
    user,
    report: ProgressReport,
    status: str,
    narrative: str,
    figures: list | None = None,
    evidence_links: list | None = None,
    evidence_files: list[UploadedFile] | None = None,
) -> ProgressReport:
    """Correct a report before it is reviewed (same rules as filing); return it.

    Raises AccessDenied, ValidationError, or DomainError once the report was reviewed."""
    if not access.can_file_for(user, report.institution):
        raise AccessDenied(MSG_NOT_YOUR_INSTITUTION)
    # Re-read under a row lock: the caller's copy may predate a concurrent review.
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.reviewed_at:
        raise DomainError(MSG_ALREADY_REVIEWED, code="already_reviewed")
    errors = {}
    try:
        cleaned = _clean_common(
            status=status, narrative=narrative, figures=figures, evidence_links=evidence_links
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        files = _clean_files(evidence_files, existing=report.evidence_files.count())
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    for key, value in cleaned.items():
        setattr(report, key, value)
    report.save()
    _store_files(report, files)
    audit_record(
        user=user,
        action=AuditEntry.Action.UPDATE,
        obj=report,
        detail={"event": "policy_report_update", "status": report.status},
    )
    return report


@transaction.atomic
def progress_report_review(*, user, report: ProgressReport, note: str = "") -> ProgressReport:
    """Mark a report as reviewed by a national supervisor; return it. Reviewing twice is a
    DomainError; other roles get AccessDenied."""
    if not access.can_review(user):
        raise AccessDenied(MSG_NO_REVIEW_ROLE)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.reviewed_at:
        raise DomainError(MSG_ALREADY_REVIEWED, code="already_reviewed")
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError(
            {"note": _("La nota de revisión es demasiado larga (máximo 2,000 caracteres).")}
        )
    report.reviewed_by = user
    report.reviewed_at = timezone.now()
    report.review_note = note
    report.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    audit_record(
        user=user, action=AuditEntry.Action.UPDATE, obj=report, detail={"event": "policy_report_review"}
    )
    return report


def indicator_snapshots_compute(period, progress=None) -> list:
    """Compute every indicator for `period` and store the values (IndicatorSnapshot, one per
    indicator and period, replaced). Slow: run in the background (policy.jobs)."""
    from retorno.policy.models import Indicator, IndicatorSnapshot
    from retorno.policy.selectors import evaluated, indicator_raw

    indicators = list(Indicator.objects.prefetch_related("pem_lines", "gcm_objectives"))
    values = []
    for done, indicator in enumerate(indicators):
        if progress is not None:
            progress(done, len(indicators), indicator.name)
        raw, state = indicator_raw(indicator, period)
        IndicatorSnapshot.objects.update_or_create(
            indicator=indicator,
            period_code=period.code,
            defaults={"value": raw, "state": state, "computed_at": timezone.now()},
        )
        values.append(evaluated(indicator, raw, state))
    return values
