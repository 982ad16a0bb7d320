"""The service directory: institutions, their programs and services, where and when they are delivered,
and each service's structured eligibility, referral deadlines and the person fields it may receive.

Every exchangeable record carries an `hsds_id` (UUID) so that an Open Referral HSDS 3.0 export
re-imported updates the same rows instead of duplicating them.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    class Order(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        STATE = "state", _("Estatal")
        MUNICIPAL = "municipal", _("Municipal")
        CIVIL = "civil", _("Sociedad civil")
        INTERNATIONAL = "international", _("Organismo internacional")
        PRIVATE = "private", _("Empresa")  # employers of the job bank

    hsds_id = models.UUIDField(_("identificador HSDS"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("clave"), max_length=40, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    description = models.TextField(_("descripción"), blank=True)
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


class Program(models.Model):
    """A named program of an institution grouping services (e.g. 'Somos Mexicanos')."""

    hsds_id = models.UUIDField(_("identificador HSDS"), default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="programs", verbose_name=_("institución")
    )
    name = models.CharField(_("nombre"), max_length=200)
    alternate_name = models.CharField(_("nombre alterno"), max_length=200, blank=True)
    description = models.TextField(_("descripción"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programa")
        verbose_name_plural = _("programas")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """Where services are delivered: an office, a module at a reception point, or a virtual channel."""

    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Física")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    hsds_id = models.UUIDField(_("identificador HSDS"), default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("institución"),
    )
    name = models.CharField(_("nombre"), max_length=200)
    location_type = models.CharField(_("tipo"), max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    description = models.TextField(_("descripción"), blank=True)
    address = models.CharField(_("domicilio"), max_length=250, blank=True)
    city = models.CharField(_("localidad"), max_length=120, blank=True)
    municipality = models.CharField(_("municipio"), max_length=120, blank=True)
    state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entidad"),
    )
    postal_code = models.CharField(_("código postal"), max_length=12, blank=True)
    country = models.CharField(_("país"), max_length=2, default="MX")
    latitude = models.DecimalField(_("latitud"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitud"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    url = models.URLField(_("sitio web"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sede")
        verbose_name_plural = _("sedes")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service a returnee can be referred to, with structured eligibility.

    Eligibility fields left empty do not restrict: `sexes == []` means any sex, `states == []`
    any state, `min_age is None` no lower bound. `needs` are the needs the service answers (a
    person is matched when they have at least one); `flags_any` restricts the service to people
    with at least one of those vulnerability flags; `flags_excluded` excludes people with any.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Activo")
        INACTIVE = "inactive", _("Inactivo")
        DEFUNCT = "defunct", _("Extinto")
        TEMPORARILY_CLOSED = "temporarily closed", _("Cerrado temporalmente")

    hsds_id = models.UUIDField(_("identificador HSDS"), default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("clave"), max_length=60, unique=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="services", verbose_name=_("institución")
    )
    program = models.ForeignKey(
        Program,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("programa"),
    )
    name = models.CharField(_("nombre"), max_length=200)
    name_en = models.CharField(_("nombre en inglés"), max_length=200, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    benefit = models.TextField(_("apoyo que otorga"), blank=True)
    application_process = models.TextField(_("cómo se solicita"), blank=True)
    fees_description = models.TextField(_("costo"), blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    url = models.URLField(_("sitio web"), blank=True)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    # Places per month; None = not limited or unknown.
    capacity = models.PositiveIntegerField(_("capacidad mensual"), null=True, blank=True)
    # Health services may receive health answers; no other service ever does.
    is_health = models.BooleanField(_("servicio de salud"), default=False)
    response_days = models.PositiveSmallIntegerField(
        _("plazo de respuesta (días)"),
        default=5,
        help_text=_("Días para aceptar o rechazar una canalización enviada."),
    )
    outcome_days = models.PositiveSmallIntegerField(
        _("plazo de resultado (días)"),
        default=30,
        help_text=_("Días, desde la aceptación, para informar el resultado."),
    )
    shared_fields = models.JSONField(
        _("datos de la persona que recibe"),
        default=list,
        blank=True,
        help_text=_("Claves de retorno.referrals.sharing.FIELDS."),
    )
    # Structured eligibility.
    min_age = models.PositiveSmallIntegerField(_("edad mínima"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("edad máxima"), null=True, blank=True)
    sexes = models.JSONField(_("sexos"), default=list, blank=True)
    states = models.JSONField(_("entidades donde se ofrece"), default=list, blank=True)
    needs = models.JSONField(_("necesidades que atiende"), default=list, blank=True)
    flags_any = models.JSONField(_("sólo para grupos"), default=list, blank=True)
    flags_excluded = models.JSONField(_("excluye grupos"), default=list, blank=True)
    documents_required = models.JSONField(_("documentos requeridos"), default=list, blank=True)
    eligibility_description = models.TextField(_("requisitos (texto)"), blank=True)
    locations = models.ManyToManyField(
        Location, through="ServiceAtLocation", related_name="services", blank=True, verbose_name=_("sedes")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["institution__name", "name"]
        verbose_name = _("servicio")
        verbose_name_plural = _("servicios")

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"

    def clean(self) -> None:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("La edad máxima debe ser mayor o igual a la mínima.")})
        from retorno.directory import catalogs
        from retorno.reference.models import State
        from retorno.referrals.sharing import FIELDS

        known = {
            "sexes": lambda: {"H", "M"},
            "states": lambda: set(State.objects.values_list("code", flat=True)),
            "needs": lambda: set(catalogs.need_codes()),
            "flags_any": lambda: set(catalogs.flag_codes()),
            "flags_excluded": lambda: set(catalogs.flag_codes()),
            "documents_required": lambda: set(catalogs.document_codes()),
            "shared_fields": lambda: set(FIELDS),
        }
        errors = {}
        for name, codes in known.items():
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors[name] = _("Debe ser una lista de claves.")
                continue
            unknown = sorted(set(value) - codes())
            if unknown:
                errors[name] = _("Claves desconocidas: %(codes)s") % {"codes": ", ".join(unknown)}
        if errors:
            raise ValidationError(errors)


class ServiceAtLocation(models.Model):
    hsds_id = models.UUIDField(_("identificador HSDS"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_locations")
    description = models.TextField(_("descripción"), blank=True)

    class Meta:
        verbose_name = _("servicio en sede")
        verbose_name_plural = _("servicios en sede")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Schedule(models.Model):
    """Opening hours (a weekly RFC 5545-like rule, as HSDS) of a service, a location or both."""

    hsds_id = models.UUIDField(_("identificador HSDS"), default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    byday = models.CharField(_("días"), max_length=40, blank=True, help_text="MO,TU,WE,TH,FR")
    opens_at = models.TimeField(_("abre"), null=True, blank=True)
    closes_at = models.TimeField(_("cierra"), null=True, blank=True)
    description = models.CharField(_("descripción"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("horario")
        verbose_name_plural = _("horarios")

    def __str__(self) -> str:
        hours = f"{self.opens_at:%H:%M}-{self.closes_at:%H:%M}" if self.opens_at and self.closes_at else ""
        return " ".join(p for p in (self.byday, hours, self.description) if p)
