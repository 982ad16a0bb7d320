"""Pages: issue/reprint/revoke for staff, and the public verification page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from retorno.accounts.permissions import Perm, can, open_to_public, requires
from retorno.audit.services import audit_record
from retorno.constancias import selectors, services
from retorno.constancias.models import Constancia
from retorno.core.errors import messages_add_service_errors
from retorno.core.exceptions import DomainError
from retorno.core.pagination import page_of


def _pdf_response(constancia: Constancia, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="constancia-{constancia.folio}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Folio"] = constancia.folio
    return response


@requires(Perm.CONSTANCIA_READ)
@require_GET
def constancia_list(request):
    items = selectors.constancia_list_visible(request.user)
    query = request.GET.get("folio", "").strip()[:40]
    if query:
        items = items.filter(folio__icontains=query)
    page = page_of(request, items)
    return render(request, "constancias/list.html", {"page": page, "query": query})


@requires(Perm.CONSTANCIA_ISSUE)
@require_POST
def issue_post(request, event_id: int):
    """Issue the event's constancia, then back to its page."""
    event = selectors.event_get_visible(request.user, event_id)
    try:
        constancia = services.constancia_issue(user=request.user, event=event)
    except DomainError as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("Constancia %(folio)s emitida.") % {"folio": constancia.folio})
    return redirect("constancias:issue", event_id=event.pk)


@requires(Perm.CONSTANCIA_READ)
@require_GET
def issue(request, event_id: int):
    """The event's constancias: the valid one to reprint, the revoked ones as history."""
    event = selectors.event_get_visible(request.user, event_id)
    items = list(selectors.constancia_list_for_event(request.user, event))
    current = next((c for c in items if c.is_valid), None)
    audit_record(
        user=request.user,
        action="view",
        obj=event,
        person_id=event.person_id,
        reception_point_id=event.reception_point_id,
        detail={"page": "constancias"},
    )
    return render(
        request,
        "constancias/event.html",
        {
            "event": event,
            "current": current,
            "current_url": services.verification_url(current) if current else "",
            "history": [c for c in items if not c.is_valid],
            "can_issue": can(request.user, Perm.CONSTANCIA_ISSUE),
            "can_revoke": can(request.user, Perm.CONSTANCIA_REVOKE),
            "reason_min": services.REASON_MIN_LENGTH,
        },
    )


@requires(Perm.CONSTANCIA_ISSUE)
@require_GET
def pdf(request, folio: str):
    constancia = selectors.constancia_get_visible(request.user, folio)
    try:
        content = services.constancia_print(user=request.user, constancia=constancia)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("constancias:issue", event_id=constancia.event_id)
    return _pdf_response(constancia, content)


@requires(Perm.CONSTANCIA_REVOKE)
@require_POST
def revoke(request, folio: str):
    constancia = selectors.constancia_get_visible(request.user, folio)
    try:
        services.constancia_revoke(
            user=request.user, constancia=constancia, reason=request.POST.get("reason", "")
        )
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("Constancia %(folio)s revocada.") % {"folio": constancia.folio})
    return redirect("constancias:issue", event_id=constancia.event_id)


@open_to_public
@require_GET
def verify(request, token: str):
    """Public (no login): is the constancia behind this QR code valid? Minimal data only."""
    result = services.constancia_verification(token=token)
    response = render(request, "constancias/verify.html", {"result": result}, status=200 if result else 404)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
