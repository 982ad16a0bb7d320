"""Follow-up contacts scheduled after an arrival, the attempts to reach the person, and the
reintegration surveys with their scores."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUp(models.Model):
    """One scheduled contact, `months` after the arrival of `event`."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        REACHED = "reached", _("Contactada")
        CANCELLED = "cancelled", _("Cancelado")

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="followups", verbose_name=_("persona")
    )
    event = models.ForeignKey(
        "reception.RepatriationEvent",
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("evento de repatriación"),
    )
    months = models.PositiveSmallIntegerField(_("meses después de la llegada"))
    due_date = models.DateField(_("fecha prevista"), db_index=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reached_at = models.DateTimeField(_("contactada el"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seguimiento")
        verbose_name_plural = _("seguimientos")
        ordering = ["due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "months"], name="followup_event_months")]
        indexes = [
            models.Index(fields=["status", "due_date"], name="followup_status_due"),
            # A new arrival cancels the person's pending contacts: without this index the
            # planner may AND the person index with the (huge) status one, ~7 ms per arrival.
            models.Index(fields=["person", "status"], name="followup_person_status"),
        ]

    def __str__(self) -> str:
        return f"{self.person} +{self.months}m ({self.due_date})"


class ContactAttempt(models.Model):
    """One try to reach the person for a scheduled follow-up."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="attempts")
    channel = models.CharField(_("medio"), max_length=20)
    reached = models.BooleanField(_("se logró el contacto"))
    notes = models.TextField(_("notas"), blank=True, max_length=2000)
    attempted_at = models.DateTimeField(_("fecha y hora"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intento de contacto")
        verbose_name_plural = _("intentos de contacto")
        ordering = ["-attempted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.channel} {self.attempted_at:%Y-%m-%d %H:%M} ({'ok' if self.reached else '-'})"


class ReintegrationSurvey(models.Model):
    """Answers to the reintegration survey (a versioned questionnaire) and the scores they gave."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="reintegration_surveys"
    )
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys"
    )
    questionnaire = models.ForeignKey(
        "diagnosis.Questionnaire", on_delete=models.PROTECT, related_name="surveys"
    )
    taken_on = models.DateField(_("fecha"))
    answers = models.JSONField(_("respuestas"), default=dict)
    indicator_scores = models.JSONField(default=dict, blank=True)
    # Dimension -> score 0..1 or null; dimensions come from the survey definition, not code.
    dimension_scores = models.JSONField(_("puntajes por dimensión"), default=dict, blank=True)
    composite = models.FloatField(_("índice compuesto"), null=True, blank=True)
    # Question -> where its answer came from when not from the person ("employment_record").
    sources = models.JSONField(_("origen de respuestas"), default=dict, blank=True)
    # Answered by the person through a message link (portal.outreach), not with an officer.
    self_reported = models.BooleanField(_("respondida por la persona"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("encuesta de reintegración")
        verbose_name_plural = _("encuestas de reintegración")
        ordering = ["taken_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.taken_on} ({self.composite})"
