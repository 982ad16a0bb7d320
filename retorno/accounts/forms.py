from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Usuario o contraseña incorrectos."),
        "inactive": _("Esta cuenta está desactivada."),
    }


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Código"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
        help_text=_("Los 6 dígitos de su aplicación de autenticación, o uno de sus códigos de recuperación."),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nombre del token"), max_length=80, help_text=_("Para qué o para quién es."))
    days = forms.IntegerField(
        label=_("Días de vigencia"),
        min_value=1,
        max_value=365,
        initial=settings.RETORNO_API_TOKEN_DAYS,
    )
