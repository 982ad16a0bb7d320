"""Parsing of the statistics filters (month, period, point, state, sex, age group, vulnerability),
shared by the pages, the downloads and the API so that a bad value gets the same message everywhere."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.reception.models import RepatriationEvent
from retorno.reference.country import country_label
from retorno.reference.models import ReceptionPoint, State
from retorno.statistics.registry import Filters
from retorno.statistics.selectors import AGE_GROUP_BANDS, VULNERABILITY_FILTERS

MSG_BAD_MONTH = _("Indique el mes como AAAA-MM, entre 2000-01 y 2100-12.")
MSG_FUTURE_MONTH = _("El mes no puede ser posterior al mes en curso.")
MSG_BAD_PERIOD = _("El mes inicial debe ser anterior o igual al mes final.")
MSG_POINT_OUT_OF_SCOPE = _("El punto de recepción no está en su ámbito.")
MSG_PERIOD_TOO_LONG = _("El periodo no puede abarcar más de 120 meses.")

VULNERABILITY_CHOICES = [
    ("unaccompanied_minor", _("Niña, niño o adolescente no acompañado")),
    ("accompanied_minor", _("Niña, niño o adolescente acompañado")),
    ("woman", _("Mujer")),
    ("older_adult", _("Persona adulta mayor (60+)")),
    ("indigenous", _("Persona indígena")),
    ("no_documents", _("Sin documentos de identidad")),
]
SEX_CHOICES = [("H", _("Hombres")), ("M", _("Mujeres"))]
AGE_CHOICES = [(k, k) for k in AGE_GROUP_BANDS]
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> date:
    """'2026-10' -> date(2026, 10, 1); raises ValidationError(MSG_BAD_MONTH or MSG_FUTURE_MONTH)."""
    match = MONTH_RE.match((value or "").strip())
    if not match:
        raise ValidationError(MSG_BAD_MONTH, code="month")
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(MSG_BAD_MONTH, code="month")
    # Future months would be aggregated empty and then shown as if final.
    if date(year, month, 1) > timezone.localdate().replace(day=1):
        raise ValidationError(MSG_FUTURE_MONTH, code="month")
    return date(year, month, 1)


def latest_month() -> date:
    """Month of the latest event (or the current month when there is none)."""
    latest = RepatriationEvent.objects.aggregate(t=Max("arrived_at"))["t"] or timezone.now()
    local = timezone.localtime(latest)
    return date(local.year, local.month, 1)


class MonthField(forms.Field):
    """'AAAA-MM' -> first day of that month (None when empty)."""

    def to_python(self, value):
        value = str(value or "").strip()[:20]
        return parse_month(value) if value else None


class StatisticsFilterForm(forms.Form):
    """The filters of the bulletin and indicators. `point` choices may be limited to a scope."""

    month = MonthField(label=_("Mes"), required=False)
    point = forms.ChoiceField(label=_("Punto de recepción"), required=False)
    state = forms.ChoiceField(label=_("Entidad de origen"), required=False)
    sex = forms.ChoiceField(label=_("Sexo"), required=False, choices=[("", "—"), *SEX_CHOICES])
    age_group = forms.ChoiceField(label=_("Grupo de edad"), required=False, choices=[("", "—"), *AGE_CHOICES])
    vulnerability = forms.ChoiceField(
        label=_("Vulnerabilidad"), required=False, choices=[("", "—"), *VULNERABILITY_CHOICES]
    )

    def __init__(self, *args, points=None, bulletin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if bulletin:  # the bulletin reads the aggregates, which hold only some flags
            self.fields["vulnerability"].choices = [("", "—")] + [
                c for c in VULNERABILITY_CHOICES if c[0] in VULNERABILITY_FILTERS
            ]
        points = points if points is not None else ReceptionPoint.objects.order_by("pk")
        self.fields["point"].choices = [("", "—")] + [(p.code, p.name) for p in points]
        self.fields["state"].label = country_label("origin_division", self.fields["state"].label)
        self.fields["state"].choices = [("", "—")] + [
            (s.code, s.name) for s in State.objects.order_by("name")
        ]

    def month_or_latest(self) -> date:
        return self.cleaned_data.get("month") or latest_month()

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            point=data.get("point") or None,
            state=data.get("state") or None,
            sex=data.get("sex") or None,
            age_group=data.get("age_group") or None,
            vulnerability=data.get("vulnerability") or None,
        )


def parse_filters(data, *, points=None, bulletin: bool = False) -> tuple[date, Filters]:
    """(month, filters) from a query dict; raises ValidationError (field -> messages)."""
    form = StatisticsFilterForm(data, points=points, bulletin=bulletin)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.month_or_latest(), form.filters()


def parse_period(first: str | None, last: str | None) -> tuple[date, date]:
    """(first month, last month) from 'AAAA-MM' strings; the latest month when both are empty."""
    errors = {}
    months = []
    for name, value in (("start", first), ("end", last)):
        try:
            months.append(parse_month(value) if value else None)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    start, end = months
    end = end or start or latest_month()
    start = start or end
    if start > end:
        raise ValidationError({"start": [MSG_BAD_PERIOD]})
    if (end.year - start.year) * 12 + end.month - start.month >= 120:
        raise ValidationError({"start": [MSG_PERIOD_TOO_LONG]})
    return start, end
