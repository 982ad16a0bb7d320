from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from retorno.accounts.permissions import Perm, requires
from retorno.audit.models import AuditEntry
from retorno.audit.selectors import access_reviews_visible, audit_entries_visible
from retorno.audit.services import access_review_decide, audit_record
from retorno.core.errors import messages_add_service_errors
from retorno.core.exports import SafeWriter
from retorno.core.pagination import page_of


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
    page = page_of(request, entries)
    return render(request, "audit/log.html", {"page": page, "form": form})


@requires(Perm.ACCESS_REVIEW)
def access_reviews(request):
    """Officers of the supervisor's points who opened another point's person through a match,
    with their stated reason: mark each justified or inappropriate."""
    if request.method == "POST":
        try:
            access_review_decide(
                user=request.user,
                review_id=int(request.POST.get("review", "0") or 0),
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            messages_add_service_errors(request, exc)
        else:
            messages.success(request, gettext("Revisión registrada."))
        return redirect("audit:access_reviews")
    status = request.GET.get("status", "pending")
    status = status if status in ("pending", "justified", "inappropriate", "") else "pending"
    page = page_of(request, access_reviews_visible(request.user, status=status))
    return render(request, "audit/access_reviews.html", {"page": page, "status": status})


EXPORT_LIMIT = 50_000


@requires(Perm.AUDIT_READ)
def log_export(request):
    """The filtered trail as CSV (cells neutralised against formula injection); the export
    itself is audited."""
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_visible(
        request.user,
        person_id=filters.get("person"),
        username=filters.get("user", ""),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )[:EXPORT_LIMIT]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bitacora.csv"'
    response.write("\ufeff")
    writer = SafeWriter(response)
    writer.writerow(["at", "username", "role", "action", "object_type", "object_id", "person_id", "channel", "ip", "path", "seq"])
    count = 0
    for e in entries.iterator(chunk_size=2000):
        writer.writerow(
            [e.at.isoformat(), e.username, e.role, e.action, e.object_type, e.object_id, e.person_id or "",
             e.channel, e.ip or "", e.path, e.seq or ""]
        )  # fmt: skip
        count += 1
    audit_record(
        user=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type="audit.auditentry",
        detail={"filters": {k: str(v) for k, v in filters.items() if v}, "rows": count},
    )
    return response
