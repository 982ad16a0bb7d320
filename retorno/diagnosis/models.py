"""Questionnaire versions (loaded from files) and the diagnoses answered under them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.diagnosis.questionnaire import text


class Questionnaire(models.Model):
    """One version of a questionnaire definition, as loaded from its file. Never edited once
    answers exist: a changed definition is a new version."""

    code = models.CharField(_("código"), max_length=60)
    version = models.PositiveIntegerField(_("versión"))
    definition = models.JSONField(_("definición"))
    source_file = models.CharField(_("archivo"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("cargado"), auto_now=True)

    class Meta:
        verbose_name = _("cuestionario")
        verbose_name_plural = _("cuestionarios")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_code_version")]

    @property
    def title(self) -> str:
        return text(self.definition.get("title"))

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgente")
    HIGH = "high", _("Alta")
    NORMAL = "normal", _("Normal")


class Diagnosis(models.Model):
    """A person's needs diagnosis: answers under one questionnaire version, plus what the rules
    derived from them when it was saved (flags, priority, needs and reasons)."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        COMPLETE = "complete", _("Completo")

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="diagnoses", verbose_name=_("persona")
    )
    event = models.ForeignKey(
        "reception.RepatriationEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="diagnoses",
        verbose_name=_("evento de repatriación"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="diagnoses", verbose_name=_("cuestionario")
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.COMPLETE)
    answers = models.JSONField(_("respuestas"), default=dict)
    scores = models.JSONField(_("puntajes"), default=dict, blank=True)
    flags = models.JSONField(_("condiciones de vulnerabilidad"), default=list, blank=True)
    needs = models.JSONField(_("necesidades"), default=list, blank=True)
    priority = models.CharField(
        _("prioridad"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    reasons = models.JSONField(_("motivos"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("alta"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("actualización"), auto_now=True)

    class Meta:
        verbose_name = _("diagnóstico")
        verbose_name_plural = _("diagnósticos")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "status", "created_at"], name="diagnosis_person_latest")]

    def __str__(self) -> str:
        return f"{_('Diagnóstico')} #{self.pk} ({self.person_id})"
