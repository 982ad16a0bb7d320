"""Forms of the manifest pages: upload, and the arrival registration pre-filled from a row."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.reception.models import EstimatedAge, RepatriationEvent
from retorno.reception.services import ArrivalData
from retorno.reference.forms import apply_country_labels
from retorno.reference.models import DocumentType, ReceptionPoint, State

SEX_CHOICES = [("", "—"), ("H", _("Hombre")), ("M", _("Mujer"))]


class PointForm(forms.Form):
    """A form acting at one of the user's points (`points`); preselected when there is one."""

    point = forms.ModelChoiceField(label=_("Punto de recepción"), queryset=ReceptionPoint.objects.none())

    def __init__(self, *args, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points if points is not None else ReceptionPoint.objects.none()
        if points is not None and points.count() == 1:
            self.fields["point"].initial = points.first()


class UploadForm(PointForm):
    title = forms.CharField(label=_("Referencia (p. ej. autobús, oficio)"), max_length=200, required=False)
    file = forms.FileField(label=_("Archivo CSV o XLSX"))
    # Shown only after the same file was found already imported for the point.
    confirm_duplicate = forms.BooleanField(
        label=_("Importar de nuevo: es otra llegada con la misma lista"), required=False, widget=forms.HiddenInput
    )


    def offer_reimport(self) -> None:
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()


def _state_choices():
    return [("", "—")] + [(s.code, f"{s} ({s.code})") for s in State.objects.all()]


class ConfirmArrivalForm(forms.Form):
    """The desk's registration fields; `person` is "new" or the id of a suggested match."""

    person = forms.CharField(required=False, initial="new", widget=forms.HiddenInput)
    given_names = forms.CharField(label=_("Nombre(s)"), max_length=120, required=False)
    first_surname = forms.CharField(label=_("Primer apellido"), max_length=80, required=False)
    second_surname = forms.CharField(label=_("Segundo apellido"), max_length=80, required=False)
    sex = forms.ChoiceField(label=_("Sexo"), choices=SEX_CHOICES, required=False)
    birth_date = forms.DateField(
        label=_("Fecha de nacimiento"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    birth_state = forms.ChoiceField(label=_("Entidad de nacimiento"), required=False)
    curp = forms.CharField(label=_("CURP"), max_length=18, required=False)
    arrived_at = forms.DateTimeField(
        label=_("Fecha y hora de llegada"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    mode = forms.ChoiceField(label=_("Modalidad"), choices=RepatriationEvent.Mode.choices)
    destination_state = forms.ChoiceField(label=_("Entidad de destino"), required=False)
    destination_municipality = forms.CharField(
        label=_("Municipio de destino"), max_length=120, required=False
    )
    phone_mx = forms.CharField(label=_("Teléfono en México"), max_length=20, required=False)
    phone_us = forms.CharField(label=_("Teléfono en EUA"), max_length=20, required=False)
    documents = forms.MultipleChoiceField(
        label=_("Documentos que porta"), required=False, widget=forms.CheckboxSelectMultiple
    )
    unaccompanied_minor = forms.BooleanField(label=_("Menor no acompañado"), required=False)
    estimated_age_band = forms.ChoiceField(
        label=_("Edad aparente (sin fecha de nacimiento)"), required=False, choices=[("", "—"), *EstimatedAge.choices]
    )
    access_reason = forms.CharField(
        label=_("Motivo para abrir el expediente de otro punto"),
        max_length=300,
        required=False,
        help_text=_("Solo si la persona elegida fue registrada en otro punto: queda en la bitácora."),
    )
    notes = forms.CharField(
        label=_("Observaciones"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_country_labels(self)
        states = _state_choices()
        self.fields["birth_state"].choices = states
        self.fields["destination_state"].choices = states
        self.fields["documents"].choices = [(d.code, d.name) for d in DocumentType.objects.all()]

    @staticmethod
    def initial_from(data: ArrivalData) -> dict:
        return {
            "given_names": data.given_names,
            "first_surname": data.first_surname,
            "second_surname": data.second_surname,
            "sex": data.sex,
            "birth_date": data.birth_date,
            "birth_state": data.birth_state,
            "curp": data.curp,
            "arrived_at": timezone.localtime(data.arrived_at).strftime("%Y-%m-%dT%H:%M"),
            "mode": data.mode,
            "notes": data.notes,
            "person": "new",
        }

    def _choice(self) -> tuple[str, str]:
        person, _sep, ticket = (self.cleaned_data.get("person") or "").strip().partition("|")
        return person, ticket

    def existing_person_id(self) -> int | None:
        person, _ticket = self._choice()
        return int(person) if person.isdigit() and len(person) < 19 else None

    def match_ticket(self) -> str:
        return self._choice()[1][:200]

    def arrival_data(self, point: ReceptionPoint) -> ArrivalData:
        d = self.cleaned_data
        return ArrivalData(
            reception_point=point,
            arrived_at=d["arrived_at"],
            given_names=d.get("given_names") or "",
            first_surname=d.get("first_surname") or "",
            second_surname=d.get("second_surname") or "",
            sex=d.get("sex") or "",
            birth_date=d.get("birth_date"),
            birth_state=d.get("birth_state") or "",
            curp=(d.get("curp") or "").strip().upper(),
            phone_mx=d.get("phone_mx") or "",
            phone_us=d.get("phone_us") or "",
            documents=list(d.get("documents") or []),
            destination_state=d.get("destination_state") or "",
            destination_municipality=d.get("destination_municipality") or "",
            mode=d.get("mode") or RepatriationEvent.Mode.LAND,
            unaccompanied_minor=bool(d.get("unaccompanied_minor")),
            estimated_age_band=d.get("estimated_age_band") or "",
            notes=d.get("notes") or "",
        )


SCOPE_CHOICES = [
    ("identity", _("Identidad: nombre, sexo, fecha de nacimiento, número de identidad")),
    ("birthplace", _("Lugar de nacimiento")),
    ("arrival", _("Llegada prevista y observaciones")),
]
CONSENT_CHOICES = [
    ("signed", _("Firmado")),
    ("verbal", _("Verbal, ante el oficial")),
    ("guardian", _("De su madre, padre o tutor")),
]


class TransferExportForm(PointForm):
    """A foreign national received here, to be expected by their own country's instance."""

    to_country = forms.CharField(
        label=_("País de la persona (código de dos letras)"), min_length=2, max_length=2,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "placeholder": "GT"}),
    )  # fmt: skip
    given_names = forms.CharField(label=_("Nombre(s)"), max_length=120)
    first_surname = forms.CharField(label=_("Primer apellido"), max_length=80, required=False)
    second_surname = forms.CharField(label=_("Segundo apellido"), max_length=80, required=False)
    sex = forms.ChoiceField(label=_("Sexo"), choices=SEX_CHOICES, required=False)
    birth_date = forms.DateField(
        label=_("Fecha de nacimiento"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": _("dd/mm/aaaa"), "inputmode": "numeric"}),
    )  # fmt: skip
    national_id = forms.CharField(label=_("Número de identidad de su país"), max_length=24, required=False)
    birth_place = forms.CharField(label=_("Departamento o estado de nacimiento"), max_length=80, required=False)
    expected_at = forms.DateTimeField(
        label=_("Llegada prevista"), required=False, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    notes = forms.CharField(label=_("Observaciones"), max_length=500, required=False)
    consent_scope = forms.MultipleChoiceField(
        label=_("Lo que la persona aceptó compartir con su país"), choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple, initial=["identity"],
    )  # fmt: skip
    consent_method = forms.ChoiceField(label=_("Forma del consentimiento"), choices=CONSENT_CHOICES)



class TransferImportForm(PointForm):
    package = forms.CharField(
        label=_("Paquete recibido (texto que empieza con «eyJ»)"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )  # fmt: skip

