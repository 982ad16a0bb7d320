"""Review queue of possible duplicate persons, and the record of merges (reversible)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ReviewPair(models.Model):
    """Two live persons the model could not decide on (probability between the review and match
    thresholds), waiting for a supervisor's decision. `person_a` has the smaller id."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    class Source(models.TextChoices):
        BATCH = "batch", _("Vinculación por lotes")
        DESK = "desk", _("Mostrador de recepción")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        SAME = "same", _("Misma persona")
        DIFFERENT = "different", _("Personas distintas")
        SKIPPED = "skipped", _("Omitido")

    person_a = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("persona A")
    )
    person_b = models.ForeignKey(
        "identity.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("persona B")
    )
    match_probability = models.FloatField(_("probabilidad de coincidencia"))
    match_weight = models.FloatField(_("peso de coincidencia"), default=0.0)
    levels = models.JSONField(_("niveles de comparación"), default=dict, blank=True)
    source = models.CharField(_("origen"), max_length=8, choices=Source.choices)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("alta"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decidido"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merge = models.ForeignKey(
        "PersonMerge", null=True, blank=True, on_delete=models.SET_NULL, related_name="review_pairs"
    )

    class Meta:
        ordering = ["-match_probability", "pk"]
        verbose_name = _("par por revisar")
        verbose_name_plural = _("pares por revisar")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="review_pair_unique"),
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="review_pair_ordered"),
        ]

    def audit_person_ids(self) -> list[int]:
        return [self.person_a_id, self.person_b_id]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.match_probability:.2f})"


class PersonMerge(models.Model):
    """`merged` was folded into `survivor`; `moved` records exactly which rows of which models
    were re-pointed (model label -> list of ids) so that an unmerge restores them."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    survivor = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("persona que permanece")
    )
    merged = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("persona fusionada")
    )
    moved = models.JSONField(_("registros trasladados"), default=dict)
    reason = models.CharField(_("motivo"), max_length=200, blank=True)
    merged_at = models.DateTimeField(_("fusión"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("deshecha"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("fusión de personas")
        verbose_name_plural = _("fusiones de personas")
        constraints = [
            # A person is merged away at most once at a time.
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True), name="one_active_merge"
            ),
        ]

    @property
    def active(self) -> bool:
        return self.undone_at is None

    @property
    def event_count(self) -> int:
        return len(self.moved.get("reception.repatriationevent", []))

    def audit_person_ids(self) -> list[int]:
        return [self.survivor_id, self.merged_id]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"
