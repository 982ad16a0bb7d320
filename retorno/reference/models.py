"""Reference data: states, reception points. Loaded from data/reference/<country>/, editable in the admin."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(name: str, name_en: str) -> str:
    """The English name on English pages when the data gives one (reference data is data, not
    msgids: its translations live in the files beside it)."""
    return name_en if name_en and (get_language() or "es").startswith("en") else name


class State(models.Model):
    """A first-level division (entidad federativa), with its CURP code. 'NE' = born abroad."""

    code = models.CharField(_("clave CURP"), max_length=2, unique=True)
    inegi_code = models.CharField(_("clave INEGI"), max_length=2, blank=True)
    name = models.CharField(_("nombre"), max_length=80)
    name_en = models.CharField(_("nombre en inglés"), max_length=80, blank=True)  # when it is not a proper noun
    is_foreign = models.BooleanField(_("nacido en el extranjero"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("entidad")
        verbose_name_plural = _("entidades")

    def __str__(self) -> str:
        return in_language(self.name, self.name_en)


class ReceptionPoint(models.Model):
    class Mode(models.TextChoices):
        LAND = "land", _("Terrestre")
        AIR = "air", _("Aérea (PRIM)")

    code = models.CharField(_("clave"), max_length=12, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    city = models.CharField(_("ciudad"), max_length=80)
    state = models.ForeignKey(State, on_delete=models.PROTECT, verbose_name=_("entidad"))
    mode = models.CharField(_("modalidad"), max_length=8, choices=Mode.choices, default=Mode.LAND)
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("punto de recepción")
        verbose_name_plural = _("puntos de recepción")

    def __str__(self) -> str:
        return self.name


class DocumentType(models.Model):
    """Identity and travel documents a returnee may carry or need (birth certificate, CURP, INE...)."""

    code = models.CharField(_("clave"), max_length=30, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    name_en = models.CharField(_("nombre en inglés"), max_length=120, blank=True)
    is_identity = models.BooleanField(_("acredita identidad"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("tipo de documento")
        verbose_name_plural = _("tipos de documento")

    def __str__(self) -> str:
        return in_language(self.name, self.name_en)
