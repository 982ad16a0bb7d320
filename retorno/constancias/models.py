"""Proofs of reception (constancias): one printed document per repatriation event, with a folio
unique per point and year and an unguessable token for public verification."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FolioCounter(models.Model):
    """Last folio number used at a point in a year. Locked with SELECT ... FOR UPDATE while a
    folio is allocated, so two desks issuing at the same moment never get the same number."""

    reception_point = models.ForeignKey(
        "reference.ReceptionPoint", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contador de folios")
        verbose_name_plural = _("contadores de folios")
        constraints = [
            models.UniqueConstraint(fields=["reception_point", "year"], name="folio_counter_point_year")
        ]

    def __str__(self) -> str:
        return f"{self.reception_point_id}/{self.year}: {self.last_number}"


class Constancia(models.Model):
    """An issued proof of reception. Its printed content is fixed at issue (holder_* fields are
    the snapshot printed on the paper), so a reprint is the same document. A revoked constancia
    stays on record (verification says "revoked") and may be superseded by a new one."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    event = models.ForeignKey(
        "reception.RepatriationEvent",
        on_delete=models.PROTECT,
        related_name="constancias",
        verbose_name=_("evento"),
    )
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint", on_delete=models.PROTECT, related_name="+", verbose_name=_("punto")
    )
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))
    folio = models.CharField(_("folio"), max_length=40, unique=True)
    # Public verification key printed in the QR; the folio alone must not be enough to look it up.
    token = models.CharField(max_length=64, unique=True, editable=False)
    holder_name = models.CharField(_("nombre"), max_length=300)
    holder_curp = models.CharField(_("CURP"), max_length=18, blank=True)
    arrived_at = models.DateTimeField(_("fecha de recepción"))
    issued_at = models.DateTimeField(_("emitida"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("emitió"),
    )
    print_count = models.PositiveIntegerField(_("impresiones"), default=0)
    revoked_at = models.DateTimeField(_("revocada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("motivo de revocación"), blank=True)
    superseded_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("constancia de recepción")
        verbose_name_plural = _("constancias de recepción")
        constraints = [
            models.UniqueConstraint(
                fields=["reception_point", "year", "number"], name="constancia_point_year_number"
            ),
            # At most one valid constancia per event; revoked ones stay for history.
            models.UniqueConstraint(
                fields=["event"], condition=Q(revoked_at__isnull=True), name="constancia_one_valid_per_event"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="constancia_revoke_has_reason",
            ),
        ]

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    def __str__(self) -> str:
        return self.folio
