"""Requests of the person over their data (ARCO: access, rectification, cancellation,
opposition), each with its legal deadline and its decision."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataRightsRequest(models.Model):
    PERSONAL_DATA = True

    class Kind(models.TextChoices):
        ACCESS = "access", _("Acceso")
        RECTIFICATION = "rectification", _("Rectificación")
        CANCELLATION = "cancellation", _("Cancelación")
        OPPOSITION = "opposition", _("Oposición")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibida")
        GRANTED = "granted", _("Procedente")
        DENIED = "denied", _("Improcedente")

    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="rights_requests")
    kind = models.CharField(_("derecho"), max_length=14, choices=Kind.choices)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    channel = models.CharField(_("medio"), max_length=10)  # portal | desk
    filed_by = models.CharField(_("presentó"), max_length=150)  # "persona:<id>" or a staff username
    filed_at = models.DateTimeField(_("presentada"), default=timezone.now)
    due_on = models.DateField(_("fecha límite de respuesta"))
    details = models.TextField(_("descripción"), blank=True)
    changes = models.JSONField(_("correcciones pedidas"), default=dict, blank=True)  # rectification
    purpose = models.CharField(_("finalidad"), max_length=40, blank=True)  # opposition
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    decided_by = models.CharField(_("resolvió"), max_length=150, blank=True)
    decision_note = models.TextField(_("respuesta"), blank=True)
    reminded_at = models.DateTimeField(_("recordatorio enviado"), null=True, blank=True)
    package_json = models.BinaryField(null=True, blank=True, editable=False)  # access: the record
    package_pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("solicitud ARCO")
        verbose_name_plural = _("solicitudes ARCO")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="denied") | ~Q(decision_note=""), name="rights_denied_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind="opposition") | ~Q(purpose=""), name="rights_opposition_has_purpose"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def open(self) -> bool:
        return self.status == self.Status.RECEIVED

    @property
    def overdue(self) -> bool:
        return self.open and self.due_on < timezone.localdate()
