"""The returnee's own channel: one-time sign-in codes and every message sent to a person."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInChallenge(models.Model):
    """One attempt to sign in: a code sent to the contact recorded at the desk. A challenge is
    created for unknown contacts too (with no person and no message), so that the answer never
    tells whether a number or an address is registered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    identifier_hash = models.CharField(max_length=64, db_index=True)  # what was typed, hashed (throttling)
    channel = models.CharField(_("medio"), max_length=8, blank=True)  # sms | email ("" = nothing sent)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("código de acceso")
        verbose_name_plural = _("códigos de acceso")

    def __str__(self) -> str:
        return f"{self.pk} ({self.channel or '-'})"


class OutboundMessage(models.Model):
    """A message to a person (SMS, WhatsApp or e-mail) and what the gateway said of it."""

    PERSONAL_DATA = True

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        SENT = "sent", _("Enviado")
        DELIVERED = "delivered", _("Entregado")
        FAILED = "failed", _("Falló")

    person = models.ForeignKey(
        "identity.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("medio"), max_length=10)
    destination = models.CharField(_("destino"), max_length=254)
    purpose = models.CharField(_("finalidad"), max_length=24)
    body = models.TextField(_("texto"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    gateway = models.CharField(_("pasarela"), max_length=20, blank=True)
    gateway_ref = models.CharField(_("referencia de la pasarela"), max_length=80, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mensaje")
        verbose_name_plural = _("mensajes")

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} ({self.status})"


class SurveyInvitation(models.Model):
    """A follow-up contact offered to the person by message: the link's token (stored hashed),
    the messages sent for it, and whether the person answered."""

    PERSONAL_DATA = True

    followup = models.OneToOneField("followup.FollowUp", on_delete=models.CASCADE, related_name="invitation")
    person = models.ForeignKey("identity.Person", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("medio"), max_length=10)
    sent_at = models.DateTimeField(_("enviada"))
    expires_at = models.DateTimeField(_("vence"))
    reminders_sent = models.PositiveSmallIntegerField(_("recordatorios"), default=0)
    last_sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    survey = models.ForeignKey(
        "followup.ReintegrationSurvey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    messages = models.ManyToManyField(OutboundMessage, related_name="+", blank=True)

    class Meta:
        verbose_name = _("invitación a encuesta")
        verbose_name_plural = _("invitaciones a encuesta")

    def __str__(self) -> str:
        return f"{self.followup_id} ({'answered' if self.answered_at else 'open'})"


class ReminderToken(models.Model):
    """The link of a reminder (each message carries its own token; any of them opens the survey)."""

    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.CASCADE, related_name="reminder_tokens")
    token_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"{self.invitation_id}"
