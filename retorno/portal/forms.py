from django import forms
from django.utils.translation import gettext_lazy as _


class ContactSignInForm(forms.Form):
    identifier = forms.CharField(
        label=_("Su teléfono o su correo electrónico"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class FolioSignInForm(forms.Form):
    folio = forms.CharField(label=_("Folio de su constancia"), max_length=40)
    birth_date = forms.DateField(
        label=_("Fecha de nacimiento"), widget=forms.DateInput(attrs={"type": "date"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Código de 6 dígitos"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ContactForm(forms.Form):
    phone_mx = forms.CharField(label=_("Teléfono en México"), required=False, max_length=20)
    phone_us = forms.CharField(label=_("Teléfono en EUA"), required=False, max_length=20)
    email = forms.CharField(label=_("Correo electrónico"), required=False, max_length=254)
