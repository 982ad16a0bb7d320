from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from retorno.directory.models import Institution
from retorno.referrals.models import Consent, Status

MSG_DOC_TOO_BIG = _("El documento es demasiado grande.")
MSG_DOC_TYPE = _("El documento debe ser PDF, JPG o PNG.")


class InstitutionChoiceField(forms.ModelChoiceField):
    """Institutions by their full name, the acronym after it (people know one or the other)."""

    def label_from_instance(self, obj: Institution) -> str:
        return f"{obj.name} ({obj.acronym})" if obj.acronym and obj.acronym != obj.name else obj.name


class ConsentForm(forms.Form):
    institution = InstitutionChoiceField(
        queryset=Institution.objects.filter(active=True).order_by("name"),
        label=_("Institución"),
        to_field_name="code",
    )
    purpose = forms.ChoiceField(choices=Consent.Purpose.choices, label=_("Finalidad"))
    method = forms.ChoiceField(choices=Consent.Method.choices, label=_("Forma"))
    given_on = forms.DateField(
        label=_("Fecha"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Vigente hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.FileField(label=_("Documento firmado (opcional)"), required=False)

    def clean_document(self):
        doc = self.cleaned_data.get("document")
        if not doc:
            return doc
        if doc.size > getattr(settings, "RETORNO_MAX_UPLOAD_BYTES", 5 * 1024 * 1024):
            raise forms.ValidationError(MSG_DOC_TOO_BIG)
        if not doc.name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png")):
            raise forms.ValidationError(MSG_DOC_TYPE)
        return doc


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del retiro"), max_length=300)


class ReferForm(forms.Form):
    service = forms.SlugField(max_length=60)
    note = forms.CharField(label=_("Motivo / nota"), required=False, max_length=2000, widget=forms.Textarea)
    send = forms.BooleanField(required=False)
    # Ticked by the officer who was warned that the institution will have no way to reach the person.
    without_contact = forms.BooleanField(required=False)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(required=False, max_length=2000)
    reason = forms.CharField(required=False, max_length=2000)
    outcome = forms.CharField(required=False, max_length=2000)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "—"), *Status.choices], required=False, label=_("Estado"))
    overdue = forms.ChoiceField(
        choices=[("", "—"), ("1", _("Vencidas")), ("0", _("En plazo"))], required=False, label=_("Plazo")
    )
    institution = forms.CharField(required=False, max_length=40, label=_("Institución"))
