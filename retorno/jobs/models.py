"""Long work done by the background worker on a user's behalf, with its progress and result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One request for long work (a yearly report, a full statistics refresh, an import, a linkage
    run). The page polls it; the worker (jobs.tasks.job_run) moves it queued -> running -> done or
    failed and fills in the result: a file to download, a page to go to, or a summary."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En espera")
        RUNNING = "running", _("En curso")
        DONE = "done", _("Terminado")
        FAILED = "failed", _("Falló")

    kind = models.CharField(_("tipo"), max_length=40)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("solicitado por"),
    )
    params = models.JSONField(_("parámetros"), default=dict, blank=True)
    # An uploaded file travels with the job (imports): the worker may run on another machine.
    input_name = models.CharField(max_length=255, blank=True)
    input_data = models.BinaryField(null=True, blank=True, editable=False)
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    step = models.CharField(_("paso"), max_length=200, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    result_type = models.CharField(max_length=120, blank=True)
    result_data = models.BinaryField(null=True, blank=True, editable=False)
    result_url = models.CharField(max_length=300, blank=True)
    summary = models.TextField(_("resumen"), blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # The request that asked for it: the worker speaks its language and audits with its address.
    language = models.CharField(max_length=10, blank=True)
    origin_ip = models.GenericIPAddressField(null=True, blank=True)
    origin_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("solicitado"), auto_now_add=True)
    started_at = models.DateTimeField(_("iniciado"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]
        verbose_name = _("trabajo")
        verbose_name_plural = _("trabajos")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_name)
