from django import forms
from django.utils.translation import gettext_lazy as _

from retorno.rights.config import purpose_label, rights_config
from retorno.rights.models import DataRightsRequest


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Derecho"), choices=DataRightsRequest.Kind.choices)
    details = forms.CharField(
        label=_("Descripción (qué pide y por qué)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purpose = forms.ChoiceField(label=_("Finalidad a la que se opone (oposición)"), required=False)
    given_names = forms.CharField(label=_("Nombre correcto (rectificación)"), required=False, max_length=120)
    first_surname = forms.CharField(label=_("Primer apellido correcto"), required=False, max_length=120)
    second_surname = forms.CharField(label=_("Segundo apellido correcto"), required=False, max_length=120)
    birth_date = forms.CharField(
        label=_("Fecha de nacimiento correcta (AAAA-MM-DD)"), required=False, max_length=10
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", "—")] + [
            (code, purpose_label(code)) for code in rights_config()["purposes"]
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        changes = {
            k: data[k]
            for k in ("given_names", "first_surname", "second_surname", "birth_date")
            if data.get(k)
        }
        return {
            "kind": data["kind"],
            "details": data["details"],
            "purpose": data["purpose"],
            "changes": changes,
        }


class DecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Resolución"),
        choices=[("1", _("Procedente")), ("0", _("Improcedente"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Respuesta a la persona"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
