"""Background jobs: the lifecycle through the real database backend and worker, failures that
leave nothing half-done, who sees what, and the progress page."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from retorno.accounts.models import Role
from retorno.accounts.permissions import Perm
from retorno.audit.models import AuditEntry
from retorno.directory.models import Institution
from retorno.jobs.models import Job
from retorno.jobs.registry import Outcome, job_kind
from retorno.jobs.services import job_execute, job_start
from retorno.testing.factories import make_user

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@job_kind("test_file", label="Test file", permission=Perm.STATISTICS_READ)
def _file_job(job, progress):
    for i in range(3):
        progress(i, 3, f"step {i}")
    return Outcome(summary="ready", file_name="out.txt", content_type="text/plain", data=job.params["text"].encode())


@job_kind("test_writes_then_fails", label="Test failing", permission=Perm.STATISTICS_READ)
def _failing_job(job, progress):
    with transaction.atomic():
        Institution.objects.create(code="HALF", name="Half done")
        if job.params.get("kind") == "validation":
            raise ValidationError("El archivo no sirve.")
        raise RuntimeError("boom")


@pytest.fixture
def analyst():
    return make_user(Role.ANALYST)


# The worker closes connections it finds inside a transaction (close_old_connections), as a
# long-running process should; so this test runs outside the per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_queued_job_waits_for_the_worker_then_serves_its_file(settings, analyst, client):
    settings.TASKS = DB_TASKS
    job = job_start(user=analyst, kind="test_file", params={"text": "hola"})
    assert job.status == Job.Status.QUEUED and job.task_id
    client.force_login(analyst)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "En espera" in page and 'hx-trigger="every 1s"' in page
    call_command("worker", batch=True)  # the real worker of `make run`, one pass
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100 and job.summary == "ready"
    download = client.get(f"/jobs/{job.pk}/result/")
    assert download.status_code == 200 and download.content == b"hola"
    assert download["Content-Disposition"] == 'attachment; filename="out.txt"'
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(job.pk)).exists()
    # Finished: the fragment stops polling.
    assert "hx-trigger" not in client.get(f"/jobs/{job.pk}/status/").content.decode()


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(settings, analyst):
    settings.TASKS = DB_TASKS
    job = job_start(user=analyst, kind="test_file", params={"text": "x"})
    assert job_execute(job.pk) is not None
    assert job_execute(job.pk) is None  # already claimed
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


@pytest.mark.parametrize(
    ("kind", "message"),
    [("validation", "El archivo no sirve."), ("crash", "Error interno al hacer el trabajo")],
)
def test_a_failing_job_rolls_back_its_writes_and_says_why(analyst, kind, message):
    job = job_start(user=analyst, kind="test_writes_then_fails", params={"kind": kind})
    assert job.status == Job.Status.FAILED and message in job.error
    assert not Institution.objects.filter(code="HALF").exists()
    assert "boom" not in job.error  # no internals for the user


def test_a_job_runs_with_the_permission_its_user_has_when_it_runs(settings, analyst):
    settings.TASKS = DB_TASKS
    job = job_start(user=analyst, kind="test_file", params={"text": "x"})
    analyst.role = Role.CHILD_PROTECTION  # no statistics any more
    analyst.save()
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.result_data is None


def test_others_do_not_reach_a_job_and_roles_without_the_permission_cannot_start_it(client, analyst):
    job = job_start(user=analyst, kind="test_file", params={"text": "secret"})
    other = make_user(Role.ANALYST)
    client.force_login(other)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", f"/jobs/{job.pk}/result/"):
        assert client.get(url).status_code == 404
    assert "secret" not in client.get("/jobs/").content.decode()
    from retorno.core.exceptions import AccessDenied

    with pytest.raises(AccessDenied):
        job_start(user=make_user(Role.RECEPTION_OFFICER), kind="test_file", params={"text": "x"})


def test_the_job_speaks_the_language_of_the_request_that_asked_for_it(settings, analyst):
    from django.utils import translation

    settings.TASKS = DB_TASKS
    with translation.override("en"):
        job = job_start(user=analyst, kind="test_writes_then_fails", params={"kind": "crash"})
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.language == "en" and job.error.startswith("Internal error")
