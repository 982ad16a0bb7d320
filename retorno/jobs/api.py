from datetime import datetime

from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from retorno.accounts.permissions import Perm, api_requires
from retorno.core.exceptions import DomainError
from retorno.core.pagination import PageNumber
from retorno.jobs import selectors
from retorno.jobs.models import Job
from retorno.jobs.services import result_response

router = Router()


class JobOut(Schema):
    id: int
    kind: str
    label: str
    status: str
    progress: int
    step: str
    summary: str
    error: str
    result_url: str
    download_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_label(job: Job) -> str:
        return selectors.job_label(job)

    @staticmethod
    def resolve_download_url(job: Job) -> str | None:
        return reverse("api:job_result", args=[job.pk]) if job.has_file else None


@router.get("", response=list[JobOut], summary="My background jobs, newest first")
@paginate(PageNumber)
@api_requires(Perm.JOB_OWN)
def job_list(request):
    return selectors.jobs_visible(request.auth)


@router.get("/{job_id}", response=JobOut, summary="One background job: status, progress and result")
@api_requires(Perm.JOB_OWN)
def job_get(request, job_id: int):
    return selectors.job_visible(request.auth, job_id)


@router.get(
    "/{job_id}/result",
    response={200: None},
    url_name="job_result",
    summary="Download the file a finished job produced (409 while there is none)",
    openapi_extra={"responses": {200: {"content": {"application/octet-stream": {}}}}},
)
@api_requires(Perm.JOB_OWN)
def job_result(request, job_id: int):
    job = selectors.job_visible(request.auth, job_id)
    selectors.require_kind(request.auth, job)
    if not job.has_file:
        raise DomainError("El trabajo no tiene archivo (todavía).", code="no_result")
    return result_response(request.auth, job)
