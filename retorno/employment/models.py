"""Employment and livelihoods: the job bank (vacancies, work profiles, applications), the cash
support for the job search (Repatriados Trabajando), self-employment (Retorno Digno) and the
certification of job competencies. Catalogues (occupations, competency standards) are reference
data; the programmes' rules are the pack's employment/programmes.yaml (employment.rules)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    """An occupation of the national classification (Mexico: SINCO), with its ISCO-08 group."""

    code = models.CharField(_("clave"), max_length=10, unique=True)
    isco = models.CharField(_("grupo CIUO-08"), max_length=4)
    trade = models.CharField(_("familia de oficio"), max_length=24)
    name = models.CharField(_("nombre"), max_length=160)
    name_en = models.CharField(_("nombre en inglés"), max_length=160, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ocupación")
        verbose_name_plural = _("ocupaciones")

    @property
    def label(self) -> str:
        """The name in the page's language (English when there is one and the page is in English)."""
        return self.name_en if self.name_en and (get_language() or "es").startswith("en") else self.name

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CompetencyStandard(models.Model):
    """A job-competency standard one can be certified in (Mexico: CONOCER's EC standards)."""

    code = models.CharField(_("clave"), max_length=16, unique=True)
    trade = models.CharField(_("familia de oficio"), max_length=24)
    name = models.CharField(_("nombre"), max_length=200)
    name_en = models.CharField(_("nombre en inglés"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("estándar de competencia")
        verbose_name_plural = _("estándares de competencia")

    @property
    def label(self) -> str:
        """The name in the page's language (English when there is one and the page is in English)."""
        return self.name_en if self.name_en and (get_language() or "es").startswith("en") else self.name

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnglishLevel(models.TextChoices):
    # The diagnosis questionnaire's proficiency scale (languages.english_level).
    NONE = "none", _("No lo habla")
    BASIC = "basic", _("Básico")
    FLUENT = "fluent", _("Fluido")


class Education(models.TextChoices):
    # The diagnosis questionnaire's scale (education.education_level), lowest first.
    NONE = "none", _("Sin estudios")
    PRIMARY_INCOMPLETE = "primary_incomplete", _("Primaria incompleta")
    PRIMARY = "primary", _("Primaria")
    SECONDARY = "secondary", _("Secundaria")
    HIGH_SCHOOL = "high_school", _("Preparatoria o bachillerato")
    TECHNICAL = "technical", _("Carrera técnica")
    UNIVERSITY = "university", _("Licenciatura")
    POSTGRADUATE = "postgraduate", _("Posgrado")


EDUCATION_RANK = {value: rank for rank, value in enumerate(Education.values)}
ENGLISH_RANK = {value: rank for rank, value in enumerate(EnglishLevel.values)}


class Vacancy(models.Model):
    """A job offer of an employer of the directory, as job boards publish it (schema.org
    JobPosting); `identifier` is the posting's own identifier, the key of idempotent imports."""

    class Schedule(models.TextChoices):
        FULL_TIME = "FULL_TIME", _("Tiempo completo")
        PART_TIME = "PART_TIME", _("Medio tiempo")
        TEMPORARY = "TEMPORARY", _("Temporal")
        PER_DIEM = "PER_DIEM", _("Por jornada")

    class SalaryUnit(models.TextChoices):
        MONTH = "MONTH", _("al mes")
        WEEK = "WEEK", _("a la semana")
        DAY = "DAY", _("al día")
        HOUR = "HOUR", _("por hora")

    class Status(models.TextChoices):
        OPEN = "open", _("Abierta")
        CLOSED = "closed", _("Cerrada")

    class Flag(models.TextChoices):
        HIRES_RETURNEES = "hires_returnees", _("Contrata personas repatriadas")
        ACCESSIBLE = "accessible", _("Accesible para personas con discapacidad")
        SECOND_CHANCE = "second_chance", _("No pide constancia de antecedentes penales")
        WOMEN = "women", _("Promueve la contratación de mujeres")
        BILINGUAL_BONUS = "bilingual_bonus", _("Paga más por hablar inglés")

    identifier = models.CharField(_("identificador"), max_length=120, unique=True)
    title = models.CharField(_("puesto"), max_length=160)
    description = models.TextField(_("descripción"), blank=True)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("ocupación")
    )
    skills = models.JSONField(_("habilidades"), default=list, blank=True)
    english_level = models.CharField(
        _("inglés requerido"), max_length=8, choices=EnglishLevel.choices, default=EnglishLevel.NONE
    )
    languages = models.JSONField(_("otros idiomas"), default=list, blank=True)
    education = models.CharField(
        _("estudios mínimos"), max_length=20, choices=Education.choices, default=Education.NONE
    )
    experience_years = models.PositiveSmallIntegerField(_("años de experiencia"), default=0)
    state = models.ForeignKey(
        "reference.State", on_delete=models.PROTECT, related_name="+", verbose_name=_("entidad")
    )
    municipality = models.CharField(_("municipio"), max_length=120)
    salary_min = models.DecimalField(
        _("salario mínimo"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    salary_max = models.DecimalField(
        _("salario máximo"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    salary_currency = models.CharField(_("moneda"), max_length=3, default="MXN")
    salary_unit = models.CharField(
        _("periodo del salario"), max_length=5, choices=SalaryUnit.choices, default=SalaryUnit.MONTH
    )
    schedule = models.CharField(
        _("jornada"), max_length=10, choices=Schedule.choices, default=Schedule.FULL_TIME
    )
    positions = models.PositiveSmallIntegerField(_("plazas"), default=1)
    date_posted = models.DateField(_("publicada"))
    valid_through = models.DateField(_("vigente hasta"))
    employer = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("empleador"),
    )
    flags = models.JSONField(_("contratación incluyente"), default=list, blank=True)
    status = models.CharField(_("estado"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("publicó"),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)

    class Meta:
        ordering = ["-date_posted", "-id"]
        verbose_name = _("vacante")
        verbose_name_plural = _("vacantes")
        indexes = [models.Index(fields=["status", "valid_through"], name="vacancy_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=models.F("salary_min")),
                name="vacancy_salary_range",
            ),
            models.CheckConstraint(condition=Q(positions__gte=1), name="vacancy_positions"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.employer} ({self.municipality})"

    @staticmethod
    def new_identifier() -> str:
        return f"urn:uuid:{uuid.uuid4()}"


class WorkProfile(models.Model):
    """What a returnee can do and looks for, from the diagnosis, corrected with their consent."""

    PERSONAL_DATA = True  # lists of these are audited as reads (audit.services)

    person = models.OneToOneField(
        "identity.Person", on_delete=models.PROTECT, related_name="work_profile", verbose_name=_("persona")
    )
    trade = models.CharField(_("familia de oficio"), max_length=24, blank=True)
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ocupación"),
    )
    experience_years = models.PositiveSmallIntegerField(_("años de experiencia"), null=True, blank=True)
    years_in_us = models.PositiveSmallIntegerField(_("años en Estados Unidos"), null=True, blank=True)
    english_level = models.CharField(
        _("inglés"), max_length=8, choices=EnglishLevel.choices, default=EnglishLevel.NONE
    )
    education = models.CharField(
        _("estudios"), max_length=20, choices=Education.choices, default=Education.NONE
    )
    skills = models.JSONField(_("habilidades"), default=list, blank=True)
    certifications = models.JSONField(_("certificaciones"), default=list, blank=True)
    preferred_state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dónde quiere trabajar (entidad)"),
    )
    preferred_municipality = models.CharField(
        _("dónde quiere trabajar (municipio)"), max_length=120, blank=True
    )
    willing_to_relocate = models.BooleanField(_("acepta cambiar de entidad"), default=False)
    looking_for_work = models.BooleanField(_("busca empleo activamente"), default=True)
    wants_self_employment = models.BooleanField(_("quiere emprender"), default=False)
    source_diagnosis = models.ForeignKey(
        "diagnosis.Diagnosis", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        verbose_name = _("perfil laboral")
        verbose_name_plural = _("perfiles laborales")

    def __str__(self) -> str:
        return f"{self.person_id} · {self.trade or '—'}"


class ApplicationStatus(models.TextChoices):
    SENT = "sent", _("Enviada")
    INTERVIEW = "interview", _("Entrevista")
    HIRED = "hired", _("Contratada")
    NOT_HIRED = "not_hired", _("No contratada")
    WITHDRAWN = "withdrawn", _("Retirada")


OPEN_APPLICATION = (ApplicationStatus.SENT, ApplicationStatus.INTERVIEW)


class Application(models.Model):
    """A returnee put forward for a vacancy by the job bank's caseworker, followed until the
    employer answers. `shared_data` is what the employer was given (with the person's consent)."""

    PERSONAL_DATA = True

    Status = ApplicationStatus

    person = models.ForeignKey(
        "identity.Person",
        on_delete=models.PROTECT,
        related_name="job_applications",
        verbose_name=_("persona"),
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("vacante")
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SENT
    )
    match_score = models.PositiveSmallIntegerField(_("afinidad"), null=True, blank=True)
    shared_data = models.JSONField(_("datos compartidos"), default=dict, blank=True)
    sent_on = models.DateField(_("enviada"))
    interview_on = models.DateField(_("entrevista"), null=True, blank=True)
    decided_on = models.DateField(_("respuesta del empleador"), null=True, blank=True)
    employer_answer = models.TextField(_("respuesta del empleador"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("postulación")
        verbose_name_plural = _("postulaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "vacancy"],
                condition=Q(status__in=["sent", "interview"]),
                name="application_one_open",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["hired", "not_hired"]) | Q(decided_on__isnull=False),
                name="application_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.vacancy.title} ({self.get_status_display()})"


class ApplicationTransition(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("de"), max_length=10, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("a"), max_length=10, choices=ApplicationStatus.choices)
    on = models.DateField(_("fecha"))
    at = models.DateTimeField(_("registrado"), auto_now_add=True)
    by_username = models.CharField(_("usuario"), max_length=150, blank=True)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class SupportBudget(models.Model):
    """The money a programme may pay at a reception point in a month (set by the ministry)."""

    programme = models.CharField(_("programa"), max_length=40)
    period = models.DateField(_("mes"))  # first day of the month
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("punto de recepción"),
    )
    amount = models.DecimalField(_("presupuesto"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "reception_point__name"]
        verbose_name = _("presupuesto")
        verbose_name_plural = _("presupuestos")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period", "reception_point"], name="budget_one_per_month"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.period:%Y-%m} {self.reception_point_id}: {self.amount}"


class SupportApplication(models.Model):
    """An application to the job-search support for one return (repatriation event)."""

    PERSONAL_DATA = True

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Solicitada")
        APPROVED = "approved", _("Aprobada")
        REJECTED = "rejected", _("Rechazada")

    person = models.ForeignKey(
        "identity.Person", on_delete=models.PROTECT, related_name="support_applications"
    )
    event = models.ForeignKey(
        "reception.RepatriationEvent", on_delete=models.PROTECT, related_name="+", verbose_name=_("retorno")
    )
    programme = models.CharField(_("programa"), max_length=40)
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    eligibility = models.JSONField(_("elegibilidad"), default=list, blank=True)
    submitted_on = models.DateField(_("solicitada"))
    decided_on = models.DateField(_("resuelta"), null=True, blank=True)
    decision_note = models.TextField(_("motivo"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("solicitud de apoyo")
        verbose_name_plural = _("solicitudes de apoyo")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "event"], condition=~Q(status="rejected"), name="support_one_per_return"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_note=""), name="support_rejected_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme} ({self.get_status_display()})"


class SupportPayment(models.Model):
    """One payment of one concept of an approved application; never two for the same return."""

    PERSONAL_DATA = True

    application = models.ForeignKey(SupportApplication, on_delete=models.PROTECT, related_name="payments")
    event = models.ForeignKey("reception.RepatriationEvent", on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(SupportBudget, on_delete=models.PROTECT, related_name="payments")
    concept = models.CharField(_("concepto"), max_length=24)
    amount = models.DecimalField(_("monto"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("fecha de pago"))
    reference = models.CharField(_("referencia de pago"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("pago de apoyo")
        verbose_name_plural = _("pagos de apoyo")
        constraints = [
            models.UniqueConstraint(fields=["event", "concept"], name="payment_one_per_return_concept"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.concept} {self.amount} ({self.paid_on})"

    @property
    def concept_label(self) -> str:
        from retorno.employment.rules import programmes

        rule = programmes().support.concept(self.concept) if programmes().support else None
        return rule.label if rule else self.concept


def stage_label(code: str) -> str:
    """A self-employment stage's label from the programmes file (the code when unknown)."""
    from retorno.employment.rules import programmes

    stage = programmes().stage(code)
    return stage.label if stage else code


class SelfEmployment(models.Model):
    """Enrolment in the self-employment programme (Retorno Digno) and where it stands."""

    PERSONAL_DATA = True

    class Status(models.TextChoices):
        ACTIVE = "active", _("En curso")
        OPERATING = "operating", _("Negocio en operación")
        DROPPED = "dropped", _("Abandonó")

    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="self_employment")
    programme = models.CharField(_("programa"), max_length=40)
    enrolled_on = models.DateField(_("inscripción"))
    stage = models.CharField(_("etapa"), max_length=24)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    business_activity = models.CharField(_("giro del negocio"), max_length=160, blank=True)
    credit_amount = models.DecimalField(
        _("monto del crédito"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    credit_provider = models.CharField(_("otorgante del crédito"), max_length=160, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        verbose_name = _("emprendimiento")
        verbose_name_plural = _("emprendimientos")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(status="active"),
                name="self_employment_one_active",
            ),
            models.CheckConstraint(
                condition=Q(credit_amount__isnull=True) | Q(credit_amount__gt=0), name="credit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme} · {self.stage}"

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


class StageRecord(models.Model):
    """One stage of an enrolment: when it started and ended, and its outcome."""

    enrolment = models.ForeignKey(SelfEmployment, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("etapa"), max_length=24)
    started_on = models.DateField(_("inicio"))
    completed_on = models.DateField(_("fin"), null=True, blank=True)
    outcome = models.TextField(_("resultado"), blank=True)
    by_username = models.CharField(_("usuario"), max_length=150, blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.stage} {self.started_on}"

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


class Certification(models.Model):
    """A request to certify a person's competence in a standard, and its result."""

    PERSONAL_DATA = True

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        COMPETENT = "competent", _("Competente (certificada)")
        NOT_YET = "not_yet", _("Todavía no competente")
        CANCELLED = "cancelled", _("Cancelada")

    person = models.ForeignKey("identity.Person", on_delete=models.PROTECT, related_name="certifications")
    standard = models.ForeignKey(
        CompetencyStandard, on_delete=models.PROTECT, related_name="+", verbose_name=_("estándar")
    )
    requested_on = models.DateField(_("solicitada"))
    started_abroad = models.BooleanField(_("iniciada en un consulado antes del retorno"), default=False)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    result_on = models.DateField(_("fecha del resultado"), null=True, blank=True)
    certificate_number = models.CharField(_("folio del certificado"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("certificación de competencias")
        verbose_name_plural = _("certificaciones de competencias")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "standard"], condition=Q(status="requested"), name="certification_one_open"
            ),
            models.CheckConstraint(
                condition=~Q(status="competent") | ~Q(certificate_number=""), name="certified_has_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard_id} ({self.get_status_display()})"
