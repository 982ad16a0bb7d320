"""Repatriation events: one per arrival of a person at a reception point."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FamilyGroup(models.Model):
    """People who arrived together as a family; their events point here."""

    reception_point = models.ForeignKey("reference.ReceptionPoint", on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("nota"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grupo familiar")
        verbose_name_plural = _("grupos familiares")

    def __str__(self) -> str:
        return f"{_('Familia')} #{self.pk}"


class EstimatedAge(models.TextChoices):
    CHILD = "0-11", _("Aparenta 0 a 11 años")
    ADOLESCENT = "12-17", _("Aparenta 12 a 17 años")
    ADULT = "18+", _("Aparenta 18 años o más")


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Madre")
    FATHER = "father", _("Padre")
    GRANDPARENT = "grandparent", _("Abuela o abuelo")
    SIBLING = "sibling", _("Hermana o hermano mayor de edad")
    AUNT_UNCLE = "aunt_uncle", _("Tía o tío")
    OTHER_RELATIVE = "other_relative", _("Otro familiar")
    GUARDIAN = "guardian", _("Tutor legal")


class RepatriationEvent(models.Model):
    """An arrival. Official statistics count these (events), not persons."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    class Mode(models.TextChoices):
        LAND = "land", _("Terrestre")
        AIR = "air", _("Aérea (procedimiento de repatriación al interior)")

    class Status(models.TextChoices):
        OPEN = "open", _("Abierto")
        CLOSED = "closed", _("Cerrado")

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="events", verbose_name=_("persona")
    )
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("punto de recepción"),
    )
    arrived_at = models.DateTimeField(_("fecha y hora de llegada"), db_index=True)
    mode = models.CharField(_("modalidad"), max_length=8, choices=Mode.choices, default=Mode.LAND)
    documents = models.JSONField(_("documentos que porta"), default=list, blank=True)
    origin_state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entidad de origen"),
    )
    destination_state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entidad de destino"),
    )
    destination_municipality = models.CharField(_("municipio de destino"), max_length=120, blank=True)
    family_group = models.ForeignKey(
        FamilyGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("grupo familiar"),
    )
    # Age in whole years at arrival, fixed at registration (statistics group by it).
    age_at_arrival = models.PositiveSmallIntegerField(_("edad al llegar"), null=True, blank=True)
    # Without a birth date the officer states the apparent age; minority is presumed when in doubt.
    estimated_age_band = models.CharField(
        _("edad aparente"), max_length=5, blank=True, choices=EstimatedAge.choices
    )
    # Below the country's age of majority at arrival (or by the estimate): child protection applies.
    minor = models.BooleanField(_("menor de edad"), default=False, db_index=True)
    # A minor is accompanied by a named adult of the same family group, or is unaccompanied.
    accompanied_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accompanying",
        verbose_name=_("acompañado por"),
    )
    accompanied_relationship = models.CharField(
        _("parentesco"), max_length=16, blank=True, choices=Relationship.choices
    )
    unaccompanied_minor = models.BooleanField(_("menor no acompañado"), default=False)
    status = models.CharField(_("estado"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("observaciones"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registró"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-arrived_at"]
        verbose_name = _("evento de repatriación")
        verbose_name_plural = _("eventos de repatriación")
        indexes = [
            models.Index(fields=["reception_point", "arrived_at"], name="event_point_arrival"),
            # The minors awaiting handover, oldest first: a few open events among millions.
            models.Index(
                fields=["reception_point", "arrived_at"],
                name="event_pending_minor",
                condition=models.Q(unaccompanied_minor=True, status="open"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(unaccompanied_minor=False) | Q(minor=True), name="unaccompanied_only_minors"
            ),
            # A minor is either accompanied by a named adult or unaccompanied, never neither.
            models.CheckConstraint(
                condition=Q(minor=False) | Q(unaccompanied_minor=True) | Q(accompanied_by__isnull=False),
                name="minor_accompaniment_declared",
            ),
            models.CheckConstraint(
                condition=Q(accompanied_by__isnull=True) | ~Q(accompanied_relationship=""),
                name="accompanied_relationship_given",
            ),
        ]

    @property
    def is_minor(self) -> bool:
        return self.minor

    def __str__(self) -> str:
        return f"{self.person} @ {self.reception_point} {self.arrived_at:%Y-%m-%d}"


class ChildProtectionHandover(models.Model):
    """Handover of an unaccompanied minor to the child-protection agency (DIF). Required to close."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    event = models.OneToOneField(RepatriationEvent, on_delete=models.PROTECT, related_name="handover")
    agency = models.CharField(_("institución que recibe"), max_length=120, default="DIF")
    received_by_name = models.CharField(_("nombre de quien recibe"), max_length=160)
    received_by_position = models.CharField(_("cargo"), max_length=120, blank=True)
    handed_over_at = models.DateTimeField(_("fecha y hora de entrega"))
    notes = models.TextField(_("observaciones"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entrega a protección de la infancia")
        verbose_name_plural = _("entregas a protección de la infancia")

    def __str__(self) -> str:
        return f"{self.agency}: {self.received_by_name} ({self.handed_over_at:%Y-%m-%d %H:%M})"
