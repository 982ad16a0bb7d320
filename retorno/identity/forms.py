"""Forms of the person pages: search, identity corrections and contact."""

from django import forms
from django.utils.translation import gettext_lazy

from retorno.identity.models import Person
from retorno.reference.forms import apply_country_labels, state_choices


class PersonSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=120, label=gettext_lazy("Nombre o CURP"))
    birth_date = forms.DateField(
        required=False,
        label=gettext_lazy("Fecha de nacimiento"),
        widget=forms.DateInput(attrs={"placeholder": gettext_lazy("dd/mm/aaaa"), "inputmode": "numeric"}),
    )


class PersonCorrectionForm(forms.Form):
    """Corrections of identity data on the person's page; only changed fields go to the service
    (identity.services.person_correct), which keeps old and new values in the history."""

    given_names = forms.CharField(label=gettext_lazy("Nombre(s)"), max_length=120)
    first_surname = forms.CharField(label=gettext_lazy("Primer apellido"), max_length=80, required=False)
    second_surname = forms.CharField(label=gettext_lazy("Segundo apellido"), max_length=80, required=False)
    sex = forms.ChoiceField(label=gettext_lazy("Sexo"), choices=Person._meta.get_field("sex").choices)
    birth_date = forms.DateField(
        label=gettext_lazy("Fecha de nacimiento"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": gettext_lazy("dd/mm/aaaa"), "inputmode": "numeric"}),
    )
    birth_state = forms.ChoiceField(label=gettext_lazy("Entidad de nacimiento"), required=False)
    curp = forms.CharField(label=gettext_lazy("CURP"), max_length=24, required=False)
    reason = forms.CharField(label=gettext_lazy("Motivo de la corrección"), max_length=300)

    FIELDS = ("given_names", "first_surname", "second_surname", "sex", "birth_date", "birth_state", "curp")

    @classmethod
    def for_person(cls, person: Person, data=None):
        initial = {name: getattr(person, name) for name in cls.FIELDS if name != "birth_state"}
        initial["birth_state"] = person.birth_state.code if person.birth_state_id else ""
        form = cls(data, initial=initial)
        form.fields["birth_state"].choices = state_choices()
        apply_country_labels(form)
        return form

    def changes(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in self.FIELDS
            if (self.cleaned_data.get(name) or None) != (self.initial.get(name) or None)
        }


class ContactForm(forms.Form):
    phone_mx = forms.CharField(required=False, max_length=20, label=gettext_lazy("Teléfono en México"))
    phone_us = forms.CharField(required=False, max_length=20, label=gettext_lazy("Teléfono en EUA"))
    email = forms.CharField(required=False, max_length=254, label=gettext_lazy("Correo electrónico"))
    contact_by_message = forms.BooleanField(
        required=False, label=gettext_lazy("Acepta recibir por mensaje las encuestas de seguimiento")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_country_labels(self)
