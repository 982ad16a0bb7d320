"""Persons: one record per human being, however many times they were returned."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from retorno.identity import names


class Sex(models.TextChoices):
    # CURP letters: H hombre, M mujer.
    MALE = "H", _("Hombre")
    FEMALE = "M", _("Mujer")


class Person(models.Model):
    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    given_names = models.CharField(_("nombre(s)"), max_length=120)
    first_surname = models.CharField(_("primer apellido"), max_length=80, blank=True)
    second_surname = models.CharField(_("segundo apellido"), max_length=80, blank=True)
    sex = models.CharField(_("sexo"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True)
    birth_state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entidad de nacimiento"),
    )
    nationality = models.CharField(_("nacionalidad"), max_length=2, default="MX")
    curp = models.CharField(_("CURP"), max_length=18, blank=True, db_index=True)
    curp_validated = models.BooleanField(_("CURP validada"), default=False)
    phone_mx = models.CharField(_("teléfono en México"), max_length=20, blank=True)
    phone_us = models.CharField(_("teléfono en EUA"), max_length=20, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    # Follow-up by message (portal.outreach): the person's consent, and an opt-out (STOP) that
    # overrides it at once.
    contact_by_message = models.BooleanField(_("acepta mensajes de seguimiento"), default=False)
    messages_opted_out_at = models.DateTimeField(_("pidió no recibir mensajes"), null=True, blank=True)
    # Cancellation (ARCO, rights app): the record is blocked from every use and search; the
    # retention schedule anonymises it later.
    blocked_at = models.DateTimeField(_("bloqueado (cancelación)"), null=True, blank=True)
    # Opposition (ARCO) to statistics beyond the legal minimum: the person's reintegration
    # surveys leave the score statistics; the counts of arrivals (the legal minimum) stay.
    statistics_opt_out_at = models.DateTimeField(_("se opuso a estadísticas adicionales"), null=True, blank=True)
    indigenous = models.BooleanField(_("se reconoce indígena"), null=True, blank=True)
    indigenous_language = models.CharField(_("lengua indígena"), max_length=60, blank=True)
    preferred_language = models.CharField(_("idioma preferido"), max_length=5, default="es")

    # Matching keys (RENAPO normalisation), kept in step with the names by save().
    key_given = models.CharField(max_length=60, blank=True, editable=False)
    key_first_surname = models.CharField(max_length=60, blank=True, editable=False)
    key_second_surname = models.CharField(max_length=60, blank=True, editable=False)

    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("fusionada en"),
    )
    created_at = models.DateTimeField(_("alta"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualización"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        indexes = [
            models.Index(fields=["birth_date", "key_first_surname"], name="person_dob_surname"),
            models.Index(fields=["key_first_surname", "key_given"], name="person_surname_given"),
            models.Index(fields=["birth_date", "key_given"], name="person_dob_given"),
            # The person search's order: a page of a common surname is read in index order and
            # stops after 50 rows, instead of sorting every match (person_search).
            models.Index(
                fields=["key_first_surname", "key_second_surname", "key_given", "id"],
                name="person_search_order",
            ),
        ]
        constraints = [
            # One live person per CURP; merged-away records may keep theirs for history.
            models.UniqueConstraint(
                fields=["curp"], condition=~Q(curp="") & Q(merged_into__isnull=True), name="unique_live_curp"
            ),
        ]

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)

    def refresh_keys(self) -> None:
        self.key_given = names.key(names.significant_given_name(self.given_names))[:60]
        self.key_first_surname = names.key(self.first_surname)[:60]
        self.key_second_surname = names.key(self.second_surname)[:60]

    @property
    def full_name(self) -> str:
        return self.name_from(self.given_names, self.first_surname, self.second_surname)

    @staticmethod
    def name_from(given_names: str, first_surname: str, second_surname: str) -> str:
        """The full name as shown and printed: given names, then the surnames present."""
        return " ".join(p for p in (given_names, first_surname, second_surname) if p)

    def __str__(self) -> str:
        return self.full_name
