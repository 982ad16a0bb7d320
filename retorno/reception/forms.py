"""Desk forms: format checks only; the rules live in reception.services."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import points_in_scope
from retorno.reception.models import EstimatedAge, Relationship, RepatriationEvent
from retorno.reception.services import child_protection_agency
from retorno.reference.forms import apply_country_labels, state_choices
from retorno.reference.models import DocumentType

# Officers type dates faster than they pick them: accept the common spellings.
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S"]


class ArrivalForm(forms.Form):
    given_names = forms.CharField(label=_("Nombre(s)"), max_length=120)
    first_surname = forms.CharField(label=_("Primer apellido"), max_length=80, required=False)
    second_surname = forms.CharField(label=_("Segundo apellido"), max_length=80, required=False)
    # The CURP letter leads each label, so typing H or M picks it in either language.
    sex = forms.ChoiceField(
        label=_("Sexo"),
        choices=[
            ("", "—"),
            ("H", format_lazy("H · {}", _("Hombre"))),
            ("M", format_lazy("M · {}", _("Mujer"))),
        ],
    )
    birth_date = forms.DateField(
        label=_("Fecha de nacimiento"),
        required=False,
        # The language's formats (retorno.formats): dd/mm/aaaa in Spanish, mm/dd/yyyy in English.
        widget=forms.DateInput(attrs={"placeholder": _("dd/mm/aaaa"), "inputmode": "numeric"}),
        help_text=_("Escriba dd/mm/aaaa (también 17051990 o 1990-05-17)."),
    )
    birth_state = forms.ChoiceField(label=_("Entidad de nacimiento"), required=False)
    curp = forms.CharField(
        label=_("CURP (si la conoce)"),
        max_length=24,
        required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    documents = forms.MultipleChoiceField(
        label=_("Documentos que porta"), required=False, widget=forms.CheckboxSelectMultiple
    )
    phone_mx = forms.CharField(
        label=_("Teléfono en México"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    phone_us = forms.CharField(
        label=_("Teléfono en EUA"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    destination_state = forms.ChoiceField(label=_("Entidad de destino"), required=False)
    destination_municipality = forms.CharField(
        label=_("Municipio de destino"), max_length=120, required=False
    )
    estimated_age_band = forms.ChoiceField(
        label=_("Edad aparente (sin fecha de nacimiento)"),
        required=False,
        choices=[("", "—"), *EstimatedAge.choices],
        help_text=_("Si no se conoce la fecha de nacimiento. Ante la duda se presume que es menor de edad."),
        # Out of the Tab path once a birth date is typed (static/retorno/retorno.js).
        widget=forms.Select(attrs={"data-skip-when-filled": "id_birth_date"}),
    )
    unaccompanied_minor = forms.BooleanField(label=_("Menor no acompañado"), required=False)
    accompanied_by_event_id = forms.TypedChoiceField(
        label=_("Menor acompañado por"), required=False, coerce=int, empty_value=None
    )
    accompanied_relationship = forms.ChoiceField(
        label=_("Parentesco"), required=False, choices=[("", "—"), *Relationship.choices]
    )
    access_reason = forms.CharField(
        label=_("Motivo para abrir el expediente de otro punto"),
        max_length=300,
        required=False,
        initial="",
        widget=forms.TextInput(attrs={"list": "access-reasons"}),
    )
    travelling_with_family = forms.BooleanField(
        label=_("Viaja con familia"),
        required=False,
        help_text=_("Al guardar, se abre el registro del siguiente integrante con los datos comunes."),
    )
    reception_point = forms.ModelChoiceField(label=_("Punto de recepción"), queryset=None, empty_label=None)
    arrived_at = forms.DateTimeField(
        label=_("Fecha y hora de llegada"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    mode = forms.ChoiceField(label=_("Modalidad"), choices=RepatriationEvent.Mode.choices)
    notes = forms.CharField(
        label=_("Observaciones"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Set by the confirmation buttons, not typed.
    existing_person_id = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    match_ticket = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)
    family_from = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    # One-time token of this form: a second submit of the same form registers nothing new.
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    # Prefilled and rarely changed: out of the Tab path (a click still reaches them).
    OFF_TAB_PATH = ("reception_point", "arrived_at", "mode")

    national_id_if_known = True  # the label says the number is optional

    def __init__(self, *args, user, companions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accompanied_by_event_id"].choices = [("", "—")] + [
            (e.pk, f"{e.person.full_name} ({e.age_at_arrival if e.age_at_arrival is not None else '?'})")
            for e in companions
        ]
        for name in self.OFF_TAB_PATH:
            self.fields[name].widget.attrs["tabindex"] = "-1"
        apply_country_labels(self)
        states = state_choices()
        self.fields["birth_state"].choices = states
        self.fields["destination_state"].choices = states
        english = (get_language() or "").startswith("en")
        self.fields["documents"].choices = [
            (d.code, d.name_en if english and d.name_en else d.name)
            for d in DocumentType.objects.order_by("order")
        ]
        points = points_in_scope(user).filter(active=True)
        self.fields["reception_point"].queryset = points
        if not self.is_bound:
            point = user.reception_point if user.reception_point_id else points.first()
            self.initial.setdefault("reception_point", point)
            self.initial.setdefault("arrived_at", timezone.localtime().replace(second=0, microsecond=0))
            if point is not None:
                self.initial.setdefault("mode", point.mode)
        self.fields["given_names"].widget.attrs["autofocus"] = True
        # The fields that feed the live match (htmx triggers on them).
        for name in (
            "given_names",
            "first_surname",
            "second_surname",
            "sex",
            "birth_date",
            "birth_state",
            "curp",
        ):
            self.fields[name].widget.attrs["class"] = "match-field"

    def prefilled_summary(self) -> str:
        """The folded point, time and mode in words ("Tijuana · 01/12/2026 10:30 · Terrestre")."""
        raw = self["reception_point"].value()
        raw = getattr(raw, "pk", raw)
        point = next((p for p in self.fields["reception_point"].queryset if str(p.pk) == str(raw)), None)
        at = self["arrived_at"].value()
        if isinstance(at, datetime):
            at = date_format(timezone.localtime(at) if timezone.is_aware(at) else at, "SHORT_DATETIME_FORMAT")
        mode = dict(self.fields["mode"].choices).get(self["mode"].value(), "")
        return " · ".join(str(part) for part in (point or "", at or "", mode) if part)


class HandoverForm(forms.Form):
    received_by_name = forms.CharField(label=_("Nombre de quien recibe"), max_length=160)
    received_by_position = forms.CharField(label=_("Cargo"), max_length=120, required=False)
    agency = forms.CharField(label=_("Institución que recibe"), max_length=120)
    handed_over_at = forms.DateTimeField(
        label=_("Fecha y hora de entrega"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    notes = forms.CharField(
        label=_("Observaciones"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("handed_over_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("agency", child_protection_agency())


class EventFilterForm(forms.Form):
    point = forms.CharField(required=False, max_length=12)
    status = forms.ChoiceField(
        required=False, choices=[("", "—"), *RepatriationEvent.Status.choices], label=_("Estado")
    )
    date_from = forms.DateField(
        required=False, label=_("Desde"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("Hasta"), widget=forms.DateInput(attrs={"type": "date"})
    )


class EventCorrectionForm(forms.Form):
    """Corrections of an arrival on its page; only changed fields are sent to the service."""

    arrived_at = forms.DateTimeField(
        label=_("Fecha y hora de llegada"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    mode = forms.ChoiceField(label=_("Modalidad"), choices=RepatriationEvent.Mode.choices)
    destination_state = forms.ChoiceField(label=_("Entidad de destino"), required=False)
    destination_municipality = forms.CharField(
        label=_("Municipio de destino"), max_length=120, required=False
    )
    documents = forms.MultipleChoiceField(
        label=_("Documentos que porta"), required=False, widget=forms.CheckboxSelectMultiple
    )
    estimated_age_band = forms.ChoiceField(
        label=_("Edad aparente (sin fecha de nacimiento)"),
        required=False,
        choices=[("", "—"), *EstimatedAge.choices],
    )
    accompanied_by_event_id = forms.TypedChoiceField(
        label=_("Menor acompañado por"), required=False, coerce=int, empty_value=None
    )
    accompanied_relationship = forms.ChoiceField(
        label=_("Parentesco"), required=False, choices=[("", "—"), *Relationship.choices]
    )
    notes = forms.CharField(
        label=_("Observaciones"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Motivo de la corrección"), max_length=300)

    FIELDS = (
        "arrived_at",
        "mode",
        "destination_state",
        "destination_municipality",
        "documents",
        "estimated_age_band",
        "accompanied_by_event_id",
        "accompanied_relationship",
        "notes",
    )

    @classmethod
    def for_event(cls, event, user, data=None):
        from retorno.reception.selectors import family_adults

        initial = {
            "arrived_at": timezone.localtime(event.arrived_at).replace(second=0, microsecond=0),
            "mode": event.mode,
            "destination_state": event.destination_state.code if event.destination_state_id else "",
            "destination_municipality": event.destination_municipality,
            "documents": list(event.documents),
            "estimated_age_band": event.estimated_age_band,
            "accompanied_by_event_id": event.accompanied_by_id,
            "accompanied_relationship": event.accompanied_relationship,
            "notes": event.notes,
        }
        form = cls(data, initial=initial)
        apply_country_labels(form)
        form.fields["destination_state"].choices = state_choices()
        form.fields["documents"].choices = [(d.code, d.name) for d in DocumentType.objects.order_by("order")]
        adults = family_adults(user, event.pk).exclude(pk=event.pk) if event.family_group_id else []
        form.fields["accompanied_by_event_id"].choices = [("", "—")] + [
            (e.pk, e.person.full_name) for e in adults
        ]
        return form

    def changes(self) -> dict:
        """The fields whose value differs from the event's."""
        out = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            initial = self.initial.get(name)
            if name == "documents":
                if sorted(value or []) != sorted(initial or []):
                    out[name] = list(value or [])
            elif (value or None) != (initial or None):
                out[name] = value
        return out
