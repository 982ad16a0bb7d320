from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts.permissions import Perm, require
from retorno.jobs.models import Job
from retorno.jobs.registry import kinds


def jobs_visible(user) -> QuerySet[Job]:
    """The jobs the user asked for (administrators: everyone's), newest first."""
    require(user, Perm.JOB_OWN)
    qs = Job.objects.select_related("requested_by").defer("input_data", "result_data")
    return qs if user.is_admin_role else qs.filter(requested_by=user)


def job_visible(user, job_id: int) -> Job:
    """One of the user's jobs; 404 for anyone else's, so ids reveal nothing."""
    try:
        return jobs_visible(user).get(pk=job_id)
    except Job.DoesNotExist:
        raise Http404 from None


def job_label(job: Job) -> str:
    spec = kinds().get(job.kind)
    return str(spec.label) if spec else job.kind


def require_kind(user, job: Job) -> None:
    """A result is read with the permission of what produced it (a role may have changed)."""
    spec = kinds().get(job.kind)
    if spec is not None:
        require(user, spec.permission)
