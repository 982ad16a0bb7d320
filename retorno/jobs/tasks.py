from django_tasks import task

from retorno.jobs.services import job_execute


@task()
def job_run(job_id: int) -> None:
    """The worker's entry point for every job kind (jobs.services.job_execute)."""
    job_execute(job_id)
