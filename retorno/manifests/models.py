"""Arrival manifests: lists of expected arrivals for a point, row by row, and the problems found
in the lines that could not be imported."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Manifest(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    reception_point = models.ForeignKey(
        "reference.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="manifests",
        verbose_name=_("punto de recepción"),
    )
    title = models.CharField(_("referencia"), max_length=200, blank=True)
    source_name = models.CharField(_("archivo"), max_length=255)
    file_format = models.CharField(_("formato"), max_length=4, choices=Format.choices)
    encoding = models.CharField(_("codificación"), max_length=20, blank=True)
    delimiter = models.CharField(_("separador"), max_length=2, blank=True)
    ignored_columns = models.JSONField(_("columnas no reconocidas"), default=list, blank=True)
    columns = models.JSONField(_("columnas"), default=dict, blank=True)  # canonical -> header as written
    row_count = models.PositiveIntegerField(_("filas importadas"), default=0)
    error_line_count = models.PositiveIntegerField(_("líneas con errores"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("importado"), auto_now_add=True)
    # The file's SHA-256: the same list imported twice is noticed (and refused unless confirmed).
    content_sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("lista de llegada")
        verbose_name_plural = _("listas de llegada")

    def __str__(self) -> str:
        return self.title or self.source_name


class ManifestRow(models.Model):
    """An expected arrival. Pending until the officer confirms it (then linked to the event) or
    marks it as a no-show."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        ARRIVED = "arrived", _("Llegó")
        NO_SHOW = "no_show", _("No se presentó")

    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE, related_name="rows")
    line_number = models.PositiveIntegerField(_("línea"))
    given_names = models.CharField(_("nombre(s)"), max_length=120)
    first_surname = models.CharField(_("primer apellido"), max_length=80, blank=True)
    second_surname = models.CharField(_("segundo apellido"), max_length=80, blank=True)
    sex = models.CharField(_("sexo"), max_length=1)
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True)
    birth_state = models.ForeignKey(
        "reference.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nationality = models.CharField(_("nacionalidad"), max_length=2, default="MX")
    curp = models.CharField(_("CURP"), max_length=18, blank=True)
    expected_at = models.DateTimeField(_("llegada esperada"), null=True, blank=True)
    notes = models.TextField(_("observaciones"), blank=True)
    status = models.CharField(_("estado"), max_length=8, choices=Status.choices, default=Status.PENDING)
    event = models.OneToOneField(
        "reception.RepatriationEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="manifest_row",
        verbose_name=_("evento"),
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["manifest", "line_number"]
        verbose_name = _("persona esperada")
        verbose_name_plural = _("personas esperadas")
        constraints = [
            models.UniqueConstraint(fields=["manifest", "line_number"], name="manifest_row_line"),
            models.CheckConstraint(
                condition=models.Q(status="arrived", event__isnull=False)
                | (~models.Q(status="arrived") & models.Q(event__isnull=True)),
                name="manifest_row_arrived_has_event",
            ),
        ]

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.first_surname, self.second_surname) if p)

    def __str__(self) -> str:
        return f"{self.manifest_id}:{self.line_number} {self.full_name}"


class ManifestIssue(models.Model):
    """A problem in one cell of a line that was not imported. The text is rendered from `code`
    in the reader's language (retorno.manifests.validation.MESSAGES)."""

    manifest = models.ForeignKey(Manifest, on_delete=models.CASCADE, related_name="issues")
    line_number = models.PositiveIntegerField(_("línea"))
    column = models.CharField(_("columna"), max_length=80)
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    value = models.CharField(_("valor"), max_length=120, blank=True)

    class Meta:
        ordering = ["manifest", "line_number", "id"]
        verbose_name = _("error de importación")
        verbose_name_plural = _("errores de importación")

    @property
    def message(self) -> str:
        from retorno.manifests.validation import message_for

        return message_for(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.line_number} {self.column}: {self.message}"


class Transfer(models.Model):
    """A signed package of an assisted return between Retorno instances (PEM strategy 3.4): sent
    by the instance that received a foreign national, imported by the instance of that person's
    country as an expected arrival. Both sides keep this record of what travelled under which
    consent; the package itself (personal data) is not stored, only its digest."""

    class Direction(models.TextChoices):
        OUT = "out", _("Enviada")
        IN = "in", _("Recibida")

    package_id = models.UUIDField(_("paquete"))
    direction = models.CharField(_("dirección"), max_length=3, choices=Direction.choices)
    instance = models.CharField(_("instancia de la otra parte"), max_length=120)
    country = models.CharField(_("país de la otra parte"), max_length=2)
    consent_scope = models.JSONField(_("alcance del consentimiento"), default=list)
    consent_method = models.CharField(_("forma del consentimiento"), max_length=20)
    fields = models.JSONField(_("datos transferidos"), default=list)
    package_sha256 = models.CharField(max_length=64, editable=False)
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint", on_delete=models.PROTECT, related_name="+", verbose_name=_("punto de recepción")
    )
    manifest = models.ForeignKey(
        Manifest, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transferencia entre instancias")
        verbose_name_plural = _("transferencias entre instancias")
        constraints = [
            # A package is imported once (a replayed package is refused, not duplicated).
            models.UniqueConstraint(fields=["direction", "instance", "package_id"], name="unique_transfer_package")
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.country} {self.package_id}"
