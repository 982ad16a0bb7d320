"""Complaints, suggestions and thanks about the attention received, routed by category."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def tracking_code() -> str:
    return secrets.token_hex(4).upper()


class Grievance(models.Model):
    PERSONAL_DATA = True

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Queja")
        SUGGESTION = "suggestion", _("Sugerencia")
        THANKS = "thanks", _("Agradecimiento")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibida")
        ACKNOWLEDGED = "acknowledged", _("En atención")
        ANSWERED = "answered", _("Respondida")
        CLOSED = "closed", _("Cerrada")

    code = models.CharField(_("folio"), max_length=8, unique=True, default=tracking_code)
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="grievances"
    )
    anonymous = models.BooleanField(_("anónima"), default=False)
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("punto"),
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("tema"), max_length=24)
    route = models.CharField(_("turnada a"), max_length=14)  # supervisor | human_rights
    text = models.TextField(_("texto"))
    channel = models.CharField(_("medio"), max_length=10)  # portal | desk
    filed_at = models.DateTimeField(_("presentada"), auto_now_add=True)
    acknowledge_by = models.DateField(_("acusar recibo antes de"))
    answer_by = models.DateField(_("responder antes de"))
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("respuesta"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["answer_by", "pk"]
        verbose_name = _("queja o sugerencia")
        verbose_name_plural = _("quejas y sugerencias")
        constraints = [
            models.CheckConstraint(
                condition=~Q(anonymous=True) | Q(person__isnull=True), name="anonymous_has_no_person"
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""), name="answered_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()}"
