"""Pre-aggregated counts of repatriation events, rebuilt from the case data by a refresh.

The bulletin and the event indicators read these instead of scanning millions of events. They hold
counts only (no person ids), and each month records when it was last rebuilt, so every page, file
and API answer can say "datos al <timestamp>".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    """Age at arrival. The bulletin's groups are 0-11, 12-17 and 18+ (= 18-59 + 60+)."""

    CHILD = "0-11", _("0 a 11 años")
    ADOLESCENT = "12-17", _("12 a 17 años")
    ADULT = "18-59", _("18 a 59 años")
    OLDER = "60+", _("60 años y más")
    UNKNOWN = "NE", _("Edad no especificada")


class EventAggregate(models.Model):
    """Number of events of one month with one combination of the breakdown dimensions.

    `ordinal` is the event's place in the (merge-resolved) person's history: 1, 2, or 3 for the
    third and later returns. `last_in_month` marks the person's last event of the month, so
    summing it counts the persons received in a month.
    """

    month = models.DateField(_("mes"), db_index=True)  # first day, in the deployment's time zone
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    origin_state = models.ForeignKey(
        "reference.State", null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    sex = models.CharField(max_length=1)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    unaccompanied = models.BooleanField()
    mode = models.CharField(max_length=8)
    ordinal = models.PositiveSmallIntegerField()
    last_in_month = models.BooleanField()
    events = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("agregado de eventos")
        verbose_name_plural = _("agregados de eventos")
        indexes = [models.Index(fields=["month", "reception_point"], name="stat_agg_month_point")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.reception_point_id} {self.sex} {self.age_band}: {self.events}"


class AggregateMonth(models.Model):
    """When a month's aggregates were last rebuilt, and how many events they counted."""

    month = models.DateField(_("mes"), unique=True)
    refreshed_at = models.DateTimeField(_("datos al"))
    events = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month"]
        verbose_name = _("mes agregado")
        verbose_name_plural = _("meses agregados")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({self.refreshed_at:%Y-%m-%d %H:%M})"


class ComputedValue(models.Model):
    """An indicator's value for a period and filters as last computed by a background job
    (statistics.jobs). Pages whose queries would scan months of events read these instead."""

    name = models.CharField(max_length=80)
    period_start = models.DateField()
    period_end = models.DateField()
    filters = models.CharField(max_length=200, blank=True)  # registry.filters_key
    value = models.FloatField(null=True)
    integer = models.BooleanField(default=False)  # a count: read back as an int
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name", "period_start", "period_end", "filters"], name="computed_value_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period_start}..{self.period_end} [{self.filters}] = {self.value}"
