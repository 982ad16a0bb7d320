"""Forms that parse the policy pages' input; the rules themselves live in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from retorno.directory.models import Institution
from retorno.policy.models import ProgressReport

MSG_FIGURE_LINE = _("Escriba cada cifra en una línea como «etiqueta = valor [unidad]» (línea %(n)s).")


def parse_figures(text: str) -> list[dict]:
    """'Personas atendidas = 1200 personas' lines -> [{'label', 'value', 'unit'}]."""
    figures = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        label, sep, rest = raw.partition("=")
        parts = rest.strip().split(maxsplit=1)
        if not sep or not label.strip() or not parts:
            raise ValidationError(MSG_FIGURE_LINE % {"n": n})
        value = parts[0].replace(",", "")
        figures.append({"label": label.strip(), "value": value, "unit": parts[1] if len(parts) > 1 else ""})
    return figures


def format_figures(figures: list[dict]) -> str:
    return "\n".join(f"{f['label']} = {f['value']:g} {f.get('unit', '')}".rstrip() for f in figures)


class ProgressReportForm(forms.Form):
    line = forms.CharField(label=_("Línea de acción (clave)"), max_length=10)
    institution = forms.ModelChoiceField(
        label=_("Institución que informa"), queryset=Institution.objects.filter(active=True), required=False
    )
    period = forms.CharField(label=_("Periodo"), max_length=10, help_text=_("AAAA, AAAA-S1/S2 o AAAA-T1..T4"))
    status = forms.ChoiceField(label=_("Estado"), choices=ProgressReport.Status.choices)
    narrative = forms.CharField(label=_("Avance del periodo"), widget=forms.Textarea(attrs={"rows": 6}))
    figures = forms.CharField(
        label=_("Cifras"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Personas vinculadas a un empleo = 1200")}),
        help_text=_("Una por línea: etiqueta = valor [unidad]"),
    )
    evidence_links = forms.CharField(
        label=_("Ligas de evidencia"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://"}),
        help_text=_("Una dirección por línea"),
    )

    def __init__(self, *args, user=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("line", "institution", "period"):
                del self.fields[name]
        elif user is not None and not user.is_admin_role:
            del self.fields["institution"]  # a caseworker reports for their own institution

    def clean_figures(self) -> list[dict]:
        return parse_figures(self.cleaned_data.get("figures", ""))

    def clean_evidence_links(self) -> list[str]:
        return [x.strip() for x in (self.cleaned_data.get("evidence_links") or "").splitlines() if x.strip()]
