"""Policy catalog (PEM objectives, strategies, lines; Global Compact objectives), indicators defined
as data, and the agencies' periodic progress reports per PEM line of action."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PemObjective(models.Model):
    code = models.CharField(_("clave"), max_length=8, unique=True)
    title = models.TextField(_("título"))
    description = models.TextField(_("descripción"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("objetivo del PEM")
        verbose_name_plural = _("objetivos del PEM")

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class PemStrategy(models.Model):
    code = models.CharField(_("clave"), max_length=8, unique=True)
    objective = models.ForeignKey(PemObjective, on_delete=models.CASCADE, related_name="strategies")
    title = models.TextField(_("título"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("estrategia del PEM")
        verbose_name_plural = _("estrategias del PEM")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class GcmObjective(models.Model):
    """One of the 23 objectives of the Global Compact for Safe, Orderly and Regular Migration."""

    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    title_es = models.TextField(_("título (español)"))
    title_en = models.TextField(_("título (inglés)"))
    commitments_2018 = models.JSONField(_("compromisos 2018"), default=list, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("objetivo del Pacto Mundial")
        verbose_name_plural = _("objetivos del Pacto Mundial")

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "es").startswith("en") else self.title_es

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class PemLine(models.Model):
    code = models.CharField(_("clave"), max_length=10, unique=True)
    strategy = models.ForeignKey(PemStrategy, on_delete=models.CASCADE, related_name="lines")
    text = models.TextField(_("texto"))
    position = models.PositiveIntegerField(default=0)
    gcm_objectives = models.ManyToManyField(
        GcmObjective, blank=True, related_name="pem_lines", verbose_name=_("objetivos del Pacto")
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("línea de acción del PEM")
        verbose_name_plural = _("líneas de acción del PEM")

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Indicator(models.Model):
    class Unit(models.TextChoices):
        EVENTS = "events", _("eventos")
        PERSONS = "persons", _("personas")
        PERCENT = "percent", _("%")
        DAYS = "days", _("días")
        SCORE = "score", _("puntaje (0-1)")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("aumentar")
        DECREASE = "decrease", _("reducir")

    code = models.CharField(_("clave"), max_length=20, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=200)
    name_en = models.CharField(_("nombre (inglés)"), max_length=200)
    query = models.CharField(_("consulta"), max_length=80)
    unit = models.CharField(_("unidad"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("sentido"), max_length=10, choices=Direction.choices)
    # Multiplies the query's result, e.g. 100 when a query returns a ratio and the unit is percent.
    scale = models.FloatField(_("factor de escala"), default=1)
    target_value = models.FloatField(_("meta"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("año de la meta"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    pem_lines = models.ManyToManyField(PemLine, blank=True, related_name="indicators")
    gcm_objectives = models.ManyToManyField(GcmObjective, blank=True, related_name="indicators")

    class Meta:
        ordering = ["position"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_value__isnull=True, target_year__isnull=True)
                | models.Q(target_value__isnull=False, target_year__isnull=False),
                name="policy_indicator_target_complete",
            )
        ]

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgressReport(models.Model):
    """An agency's report on one PEM line of action for one reporting period.

    One report per (line, institution, period); the reporting order of government is copied from
    the institution when filed so that later changes to the directory do not rewrite history.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("No iniciada")
        IN_PROGRESS = "in_progress", _("En proceso")
        DONE = "done", _("Concluida")
        BLOCKED = "blocked", _("Bloqueada")

    line = models.ForeignKey(
        PemLine, on_delete=models.PROTECT, related_name="reports", verbose_name=_("línea")
    )
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="policy_reports",
        verbose_name=_("institución"),
    )
    order = models.CharField(_("orden de gobierno"), max_length=16)
    period = models.CharField(_("periodo"), max_length=10)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices)
    narrative = models.TextField(_("avance"))
    figures = models.JSONField(_("cifras"), default=list, blank=True)
    evidence_links = models.JSONField(_("ligas de evidencia"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registró")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revisó"),
    )
    reviewed_at = models.DateTimeField(_("revisado"), null=True, blank=True)
    review_note = models.TextField(_("nota de revisión"), blank=True)

    class Meta:
        ordering = ["line__position", "institution__name"]
        verbose_name = _("informe de avance")
        verbose_name_plural = _("informes de avance")
        constraints = [
            models.UniqueConstraint(
                fields=["line", "institution", "period"], name="policy_one_report_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="policy_report_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.code} · {self.institution} · {self.period}"


class ProgressEvidence(models.Model):
    """An uploaded evidence file (PDF or image) attached to a progress report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to="policy/evidence/%Y/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")

    def __str__(self) -> str:
        return self.original_name


class IndicatorSnapshot(models.Model):
    """An indicator's value for a reporting period as last computed in the background (the
    indicators page reads these: some queries scan a year of events, too slow for a request)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="snapshots")
    period_code = models.CharField(max_length=10)
    value = models.FloatField(null=True)  # the query's result, before the indicator's scale
    state = models.CharField(max_length=12)  # selectors.IndicatorValue.state
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_code"], name="policy_snapshot_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_code}: {self.value} ({self.state})"
