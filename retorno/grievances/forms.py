from django import forms
from django.utils.translation import gettext_lazy as _

from retorno.grievances.config import category_choices
from retorno.grievances.models import Grievance


class GrievanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Es una"), choices=Grievance.Kind.choices)
    category = forms.ChoiceField(label=_("Tema"))
    text = forms.CharField(
        label=_("¿Qué pasó? ¿Qué sugiere?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    anonymous = forms.BooleanField(
        label=_("Enviarla sin mi nombre (anónima: no podremos responderle en su portal)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()


class StepForm(forms.Form):
    step = forms.ChoiceField(
        choices=[("acknowledge", "acknowledge"), ("answer", "answer"), ("close", "close")]
    )
    answer = forms.CharField(
        label=_("Respuesta"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
