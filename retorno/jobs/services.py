"""Starting background jobs and recording what they did."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from retorno.accounts.permissions import require
from retorno.audit.context import AuditContext, current
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.jobs.models import Job
from retorno.jobs.registry import Outcome, kind_of

log = logging.getLogger(__name__)


def job_start(
    *, user, kind: str, params: dict | None = None, input_name: str = "", input_data: bytes | None = None
) -> Job:
    """Record a job for `user` and queue it for the worker, in one transaction: the queued task
    and the job row commit together, so neither exists without the other. Raises AccessDenied
    unless the user may do what the job does; KeyError for an unknown kind."""
    spec = kind_of(kind)
    require(user, spec.permission)
    ctx = current.get()
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            requested_by=user,
            params=params or {},
            input_name=input_name[:255],
            input_data=input_data,
            language=translation.get_language() or "",
            origin_ip=ctx.ip,
            origin_path=ctx.path[:300],
        )
        audit_record(
            user=user, action=AuditEntry.Action.CREATE, obj=job, detail={"kind": kind, "params": job.params}
        )
        from retorno.jobs.tasks import job_run

        # With the database backend the task row is written in this transaction (the worker sees
        # it at commit); with the immediate backend (tests) the job runs here and now.
        result = job_run.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _progress_recorder(job_id: int):
    last: list = [None]

    def progress(done: int, total: int, step: str = "") -> None:
        pct = 0 if total <= 0 else max(0, min(99, int(100 * done / total)))
        if last[0] != (pct, step):  # one UPDATE per visible change, not per item
            last[0] = (pct, step)
            Job.objects.filter(pk=job_id).update(progress=pct, step=str(step)[:200])

    return progress


def _message_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    if isinstance(exc, DomainError):
        return str(exc.message)
    return _("No tiene permiso para este trabajo.")


def job_execute(job_id: int) -> Job | None:
    """Run a queued job (the worker's task body): claim it, run its kind's handler as the user who
    asked, in their language, and store the outcome. A job already claimed is left alone (a task
    delivered twice runs once). A handler's own writes are its transactions; a failure leaves
    them rolled back and the job marked failed with a message for the user."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    token = current.set(
        AuditContext(ip=job.origin_ip, path=job.origin_path or f"job:{job.pk}", channel="job")
    )
    try:
        with translation.override(job.language or None):
            try:
                spec = kind_of(job.kind)
                require(job.requested_by, spec.permission)  # the role may have changed meanwhile
                outcome: Outcome = spec.handler(job, _progress_recorder(job.pk))
            except (ValidationError, DomainError, AccessDenied) as exc:
                _finish(job, Job.Status.FAILED, error=_message_of(exc))
            except Exception:  # noqa: BLE001 - the job records the failure; the worker keeps going
                log.exception("job %s (%s) failed", job.pk, job.kind)
                _finish(
                    job,
                    Job.Status.FAILED,
                    error=_("Error interno al hacer el trabajo #%(id)s; se avisó al equipo técnico.")
                    % {"id": job.pk},
                )
            else:
                _finish(job, Job.Status.DONE, outcome=outcome)
    finally:
        current.reset(token)
    return job


def _finish(job: Job, status: str, *, outcome: Outcome | None = None, error: str = "") -> None:
    job.status, job.finished_at, job.error = status, timezone.now(), error
    fields = ["status", "finished_at", "error"]
    if outcome is not None:
        job.progress, job.step = 100, ""
        job.summary, job.result_url = outcome.summary, outcome.url[:300]
        job.result_name, job.result_type = outcome.file_name[:255], outcome.content_type[:120]
        job.result_data = outcome.data
        fields += ["progress", "step", "summary", "result_url", "result_name", "result_type", "result_data"]
    # The uploaded input is no longer needed once the job ended.
    job.input_data = None
    fields.append("input_data")
    job.save(update_fields=fields)


def result_response(user, job: Job) -> HttpResponse:
    """The job's file as a download, audited (a report may be official, a list may name people)."""
    audit_record(user=user, action=AuditEntry.Action.EXPORT, obj=job, detail={"kind": job.kind})
    response = HttpResponse(
        bytes(job.result_data or b""), content_type=job.result_type or "application/octet-stream"
    )
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response
