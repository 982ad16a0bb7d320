"""Pages of one's background jobs: a list, a page per job that follows its progress (htmx polls a
fragment until the job ends) and the download of its result."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from retorno.accounts.permissions import Perm, requires
from retorno.core.pagination import page_of
from retorno.jobs import selectors
from retorno.jobs.services import result_response


@requires(Perm.JOB_OWN)
@require_GET
def job_list(request):
    page = page_of(request, selectors.jobs_visible(request.user))
    for job in page:
        job.label = selectors.job_label(job)
    return render(request, "jobs/list.html", {"page": page})


def _context(job) -> dict:
    return {"job": job, "label": selectors.job_label(job)}


@requires(Perm.JOB_OWN)
@require_GET
def job_detail(request, job_id: int):
    job = selectors.job_visible(request.user, job_id)
    return render(request, "jobs/detail.html", _context(job))


@requires(Perm.JOB_OWN)
@require_GET
def job_status(request, job_id: int):
    """The progress fragment; once the job ended without a file to download, htmx is sent on to
    the result's page (an imported list, the refreshed statistics)."""
    job = selectors.job_visible(request.user, job_id)
    response = render(request, "jobs/_status.html", _context(job))
    if request.htmx and job.status == job.Status.DONE and job.result_url and not job.result_name:
        response["HX-Redirect"] = job.result_url
    return response


@requires(Perm.JOB_OWN)
@require_GET
def job_result(request, job_id: int):
    job = selectors.job_visible(request.user, job_id)
    selectors.require_kind(request.user, job)
    if not job.has_file:
        return render(request, "jobs/detail.html", _context(job), status=404)
    return result_response(request.user, job)


def job_redirect(request, job):
    """Where to go after starting a job: straight to its result when it has already ended with a
    page to show (a small job, or the immediate backend), else to its progress page."""
    if job.status == job.Status.DONE and job.result_url and not job.result_name:
        if job.summary:
            messages.success(request, job.summary)
        return redirect(job.result_url)
    return redirect("jobs:detail", job_id=job.pk)
