"""Shared plumbing that needs a table."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A write already done under a client's key: the same key gives the same answer again
    instead of a second record (API `Idempotency-Key` header; the desk form's one-time token).
    Only successful writes are kept: a refused request rolls its key back with everything else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)  # which operation, e.g. "api:reception.events"
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, blank=True)  # SHA-256 of the request body
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("clave de idempotencia")
        verbose_name_plural = _("claves de idempotencia")
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_unique_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
