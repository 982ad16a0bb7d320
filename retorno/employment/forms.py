"""Forms of the employment pages. They parse and render; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from retorno.directory.models import Institution
from retorno.employment.models import (
    ApplicationStatus,
    Certification,
    CompetencyStandard,
    Education,
    EnglishLevel,
    Occupation,
    Vacancy,
)
from retorno.employment.rules import programmes
from retorno.reference.models import ReceptionPoint, State

DATE = forms.DateInput(attrs={"type": "date"})
TRADE_CHOICES = [
    ("", "—"),
    ("construction", _("Construcción")),
    ("agriculture", _("Agricultura, campo")),
    ("manufacturing", _("Fábrica, manufactura")),
    ("hospitality", _("Restaurantes, hoteles")),
    ("cleaning", _("Limpieza, jardinería")),
    ("transport", _("Transporte, chofer")),
    ("care", _("Cuidado de personas")),
    ("commerce", _("Comercio, ventas")),
    ("mechanics", _("Mecánica, electricidad, oficios técnicos")),
    ("other", _("Otro")),
]


def _states():
    return [("", "—")] + [(s.code, s.name) for s in State.objects.filter(is_foreign=False).order_by("name")]


def _occupations(blank: bool = False):
    rows = [(o.code, f"{o.label} ({o.code})") for o in Occupation.objects.order_by("name")]
    return [("", "—"), *rows] if blank else rows


class ListField(forms.CharField):
    """Comma-separated words in one text box, a list in cleaned_data."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [v.strip() for v in text.replace(";", ",").split(",") if v.strip()]


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Puesto"), max_length=160)
    employer = forms.ChoiceField(label=_("Empleador (directorio)"))
    occupation = forms.ChoiceField(label=_("Ocupación"))
    description = forms.CharField(
        label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    skills = ListField(label=_("Habilidades (separadas por comas)"), required=False, max_length=2000)
    english_level = forms.ChoiceField(label=_("Inglés requerido"), choices=EnglishLevel.choices)
    languages = ListField(label=_("Otros idiomas"), required=False, max_length=500)
    education = forms.ChoiceField(label=_("Estudios mínimos"), choices=Education.choices)
    experience_years = forms.IntegerField(
        label=_("Años de experiencia"), min_value=0, max_value=60, initial=0
    )
    state = forms.ChoiceField(label=_("Entidad"))
    municipality = forms.CharField(label=_("Municipio"), max_length=120)
    salary_min = forms.DecimalField(
        label=_("Salario mínimo"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    salary_max = forms.DecimalField(
        label=_("Salario máximo"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    salary_unit = forms.ChoiceField(label=_("Periodo del salario"), choices=Vacancy.SalaryUnit.choices)
    schedule = forms.ChoiceField(label=_("Jornada"), choices=Vacancy.Schedule.choices)
    positions = forms.IntegerField(label=_("Plazas"), min_value=1, max_value=9999, initial=1)
    date_posted = forms.DateField(label=_("Publicada"), required=False, widget=DATE)
    valid_through = forms.DateField(label=_("Vigente hasta"), widget=DATE)
    flags = forms.MultipleChoiceField(
        label=_("Contratación incluyente"),
        choices=Vacancy.Flag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].choices = [
            (i.code, i.name)
            for i in Institution.objects.filter(active=True, order=Institution.Order.PRIVATE).order_by("name")
        ] + [
            (i.code, i.name)
            for i in Institution.objects.filter(active=True)
            .exclude(order=Institution.Order.PRIVATE)
            .order_by("name")
        ]
        self.fields["occupation"].choices = _occupations()
        self.fields["state"].choices = _states()

    @classmethod
    def initial_of(cls, v: Vacancy) -> dict:
        initial = {f: getattr(v, f) for f in cls.base_fields if hasattr(v, f)}
        initial.update(employer=v.employer.code, occupation=v.occupation.code, state=v.state.code)
        return initial


class WorkProfileForm(forms.Form):
    trade = forms.ChoiceField(label=_("Oficio"), choices=TRADE_CHOICES, required=False)
    occupation = forms.ChoiceField(label=_("Ocupación"), required=False)
    experience_years = forms.IntegerField(
        label=_("Años de experiencia"), min_value=0, max_value=70, required=False
    )
    years_in_us = forms.IntegerField(
        label=_("Años en Estados Unidos"), min_value=0, max_value=90, required=False
    )
    english_level = forms.ChoiceField(label=_("Inglés"), choices=EnglishLevel.choices)
    education = forms.ChoiceField(label=_("Estudios"), choices=Education.choices)
    skills = ListField(label=_("Habilidades (separadas por comas)"), required=False, max_length=2000)
    certifications = ListField(label=_("Certificaciones"), required=False, max_length=1000)
    preferred_state = forms.ChoiceField(label=_("Dónde quiere trabajar (entidad)"), required=False)
    preferred_municipality = forms.CharField(label=_("Municipio"), max_length=120, required=False)
    willing_to_relocate = forms.BooleanField(label=_("Acepta cambiar de entidad"), required=False)
    looking_for_work = forms.BooleanField(label=_("Busca empleo activamente"), required=False)
    wants_self_employment = forms.BooleanField(label=_("Quiere emprender"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = _occupations(blank=True)
        self.fields["preferred_state"].choices = _states()

    @staticmethod
    def initial_of(values: dict) -> dict:
        initial = dict(values)
        for key in ("occupation", "preferred_state"):
            value = initial.get(key)
            initial[key] = getattr(value, "code", value) or ""
        return initial


class ApplicationStepForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nuevo estado"), choices=ApplicationStatus.choices)
    on = forms.DateField(label=_("Fecha"), required=False, widget=DATE)
    answer = forms.CharField(label=_("Respuesta del empleador"), required=False, max_length=4000)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decisión"), choices=[("1", _("Aprobar")), ("0", _("Rechazar"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("Motivo"), required=False, max_length=4000)


class PaymentForm(forms.Form):
    concept = forms.ChoiceField(label=_("Concepto"))
    amount = forms.DecimalField(label=_("Monto"), min_value=0, max_digits=10, decimal_places=2)
    paid_on = forms.DateField(label=_("Fecha de pago"), required=False, widget=DATE)
    reference = forms.CharField(label=_("Referencia de pago"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        support = programmes().support
        self.fields["concept"].choices = (
            [(c.code, f"{c.label} ({programmes().currency} {c.cap:,.0f})") for c in support.concepts]
            if support
            else []
        )


class BudgetForm(forms.Form):
    point = forms.ModelChoiceField(
        label=_("Punto de recepción"), queryset=ReceptionPoint.objects.order_by("name"), to_field_name="code"
    )
    month = forms.DateField(label=_("Mes (cualquier día)"), widget=DATE)
    amount = forms.DecimalField(label=_("Presupuesto"), min_value=0, max_digits=12, decimal_places=2)


class AdvanceForm(forms.Form):
    outcome = forms.CharField(label=_("Resultado de la etapa"), max_length=4000)
    on = forms.DateField(label=_("Fecha"), required=False, widget=DATE)
    credit_amount = forms.DecimalField(
        label=_("Monto del crédito"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    credit_provider = forms.CharField(label=_("Otorgante del crédito"), required=False, max_length=160)
    drop = forms.BooleanField(label=_("Abandonó el programa"), required=False)


class EnrolForm(forms.Form):
    activity = forms.CharField(label=_("Giro del negocio"), required=False, max_length=160)


class CertificationRequestForm(forms.Form):
    standard = forms.ModelChoiceField(
        label=_("Estándar de competencia"),
        queryset=CompetencyStandard.objects.order_by("code"),
        to_field_name="code",
    )
    started_abroad = forms.BooleanField(label=_("Iniciada en un consulado antes del retorno"), required=False)


class CertificationResultForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Resultado"),
        choices=[
            (s, label) for s, label in Certification.Status.choices if s != Certification.Status.REQUESTED
        ],
    )
    certificate_number = forms.CharField(label=_("Folio del certificado"), required=False, max_length=60)
    on = forms.DateField(label=_("Fecha"), required=False, widget=DATE)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Archivo JSON-LD (schema.org JobPosting)"))
    skip_invalid = forms.BooleanField(
        label=_("Importar las válidas y omitir las que tengan errores"), required=False
    )


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Entidad"), required=False)
    occupation = forms.ChoiceField(label=_("Ocupación"), required=False)
    status = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[("open", _("Abiertas y vigentes")), ("closed", _("Cerradas")), ("all", _("Todas"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = _states()
        self.fields["occupation"].choices = _occupations(blank=True)
