from django import forms
from django.utils.translation import gettext_lazy as _

from retorno.diagnosis.questionnaire import text
from retorno.followup import config


class ContactAttemptForm(forms.Form):
    """Format checks only; the service holds the rules (channel known, date not future...)."""

    channel = forms.ChoiceField(label=_("Medio"))
    reached = forms.TypedChoiceField(
        label=_("¿Se logró el contacto?"),
        choices=[("true", _("Sí")), ("false", _("No"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    attempted_at = forms.DateTimeField(
        label=_("Fecha y hora"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )
    notes = forms.CharField(
        label=_("Notas"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(v, text(label)) for v, label in config.channel_choices()]
