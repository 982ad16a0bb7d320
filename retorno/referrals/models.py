"""Informed consent per institution and purpose, and closed-loop referrals (canalizaciones)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """A person's informed consent for one institution and one purpose.

    Valid while not withdrawn and not expired. Withdrawal is recorded, never deleted.
    """

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("Canalización")
        DATA_SHARING = "data_sharing", _("Compartir datos")
        # Be matched with vacancies and put forward to employers by the job bank (employment app).
        JOB_MATCHING = "job_matching", _("Bolsa de trabajo")

    class Method(models.TextChoices):
        VERBAL = "verbal", _("Verbal")
        SIGNED = "signed", _("Firmado")

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="consents", verbose_name=_("persona")
    )
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("institución"),
    )
    purpose = models.CharField(_("finalidad"), max_length=16, choices=Purpose.choices)
    method = models.CharField(_("forma"), max_length=10, choices=Method.choices)
    given_on = models.DateField(_("fecha de consentimiento"))
    valid_until = models.DateField(_("vigente hasta"), null=True, blank=True)
    document = models.FileField(_("documento"), upload_to="consents/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registró"),
    )
    recorded_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("retirado"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.CharField(_("motivo del retiro"), max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")
        indexes = [models.Index(fields=["person", "institution", "purpose"], name="consent_lookup")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.institution} ({self.get_purpose_display()})"

    def is_valid(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.withdrawn_at is None and (self.valid_until is None or self.valid_until >= on)


class Status(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SENT = "sent", _("Enviada")
    ACCEPTED = "accepted", _("Aceptada")
    REJECTED = "rejected", _("Rechazada")
    IN_PROGRESS = "in_progress", _("En atención")
    COMPLETED = "completed", _("Concluida")
    NO_SHOW = "no_show", _("No se presentó")
    CANCELLED = "cancelled", _("Cancelada")


OPEN_STATUSES = (Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.REJECTED, Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED)


class Referral(models.Model):
    """A referral of a person to a service, followed until the institution reports an outcome.

    `shared_data` is the snapshot of the person's data that the service may see, taken when the
    referral is sent: the institution's caseworkers read it, never the person's record.
    """

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    Status = Status

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("persona")
    )
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("servicio")
    )
    # Denormalised from the service so that scoping an inbox is one indexed filter.
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("institución"),
    )
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("punto de recepción"),
    )
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    priority = models.CharField(_("prioridad"), max_length=8, default="normal")
    note = models.TextField(_("motivo de la canalización"), blank=True)
    reasons = models.JSONField(_("razones de elegibilidad"), default=list, blank=True)
    shared_data = models.JSONField(_("datos compartidos"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("canalizó"),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    sent_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    responded_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cerrada"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("respuesta esperada antes de"), null=True, blank=True)
    outcome_due_at = models.DateTimeField(_("resultado esperado antes de"), null=True, blank=True)
    rejection_reason = models.TextField(_("motivo de rechazo"), blank=True)
    outcome = models.TextField(_("resultado"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("canalización")
        verbose_name_plural = _("canalizaciones")
        indexes = [
            models.Index(fields=["institution", "status"], name="referral_inbox"),
            models.Index(fields=["reception_point", "status"], name="referral_point"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(outcome=""), name="completed_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.service} ({self.get_status_display()})"

    @property
    def is_overdue(self) -> bool:
        now = timezone.now()
        if self.status == Status.SENT and self.response_due_at:
            return self.response_due_at < now
        if self.status in (Status.ACCEPTED, Status.IN_PROGRESS) and self.outcome_due_at:
            return self.outcome_due_at < now
        return False


class ReferralTransition(models.Model):
    """One step of a referral's history: who moved it from which state to which, when and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("de"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=12, choices=Status.choices)
    at = models.DateTimeField(_("fecha y hora"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("por"),
    )
    by_username = models.CharField(_("usuario"), max_length=150, blank=True)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("cambios de estado")

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"
