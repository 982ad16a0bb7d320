"""Institutions that deliver services to returnees (extended with programs and services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    class Order(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "state", _("Estatal")
        MUNICIPAL = "municipal", _("Municipal")
        CIVIL = "civil", _("Sociedad civil")
        INTERNATIONAL = "international", _("Organismo internacional")

    code = models.CharField(_("clave"), max_length=40, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    order = models.CharField(
        _("orden de gobierno"), max_length=16, choices=Order.choices, default=Order.FEDERAL
    )
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    website = models.URLField(_("sitio web"), blank=True)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self) -> str:
        return self.acronym or self.name
