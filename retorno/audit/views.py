from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from retorno.audit.models import AuditEntry
from retorno.audit.selectors import audit_entries_visible


@login_required
def log(request):
    person = request.GET.get("person", "")
    entries = audit_entries_visible(
        request.user,
        person_id=int(person) if person.isdigit() else None,
        username=request.GET.get("user", "")[:150],
        action=request.GET.get("action", "")[:10],
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "actions": AuditEntry.Action.choices})
