from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from retorno.accounts.permissions import Perm, requires
from retorno.audit.models import AuditEntry
from retorno.audit.selectors import audit_entries_visible


class LogFilterForm(forms.Form):
    person = forms.IntegerField(required=False, min_value=1, label=_("Persona (id)"))
    user = forms.CharField(required=False, max_length=150, label=_("Usuario"))
    action = forms.ChoiceField(
        required=False, choices=[("", "—"), *AuditEntry.Action.choices], label=_("Acción")
    )
    date_from = forms.DateField(
        required=False, label=_("Desde"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("Hasta"), widget=forms.DateInput(attrs={"type": "date"})
    )


@requires(Perm.AUDIT_READ)
def log(request):
    """The audit trail of the supervisor's points, filtered; invalid filters are shown, not applied."""
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_visible(
        request.user,
        person_id=filters.get("person"),
        username=filters.get("user", ""),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "form": form})
