"""The supervisor's queue of data-rights requests, a request's page and decision, filing on the
person's behalf, and the access package download."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from retorno.accounts.permissions import Perm, requires
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.errors import messages_add_form_errors, messages_add_service_errors
from retorno.core.exceptions import DomainError
from retorno.identity.selectors import person_get_visible
from retorno.rights import services
from retorno.rights.forms import DecideForm, RequestForm
from retorno.rights.selectors import due_soon, requests_visible


def _request_or_404(user, request_id: int):
    try:
        return requests_visible(user).get(pk=request_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@requires(Perm.RIGHTS_REVIEW)
def queue(request):
    rows = requests_visible(request.user)
    open_rows = [(r, due_soon(r)) for r in rows.filter(status="received").order_by("due_on", "pk")[:200]]
    decided = rows.exclude(status="received").order_by("-decided_at")[:50]
    return render(request, "rights/queue.html", {"open_rows": open_rows, "decided": decided})


@requires(Perm.RIGHTS_REVIEW)
def detail(request, request_id: int):
    found = _request_or_404(request.user, request_id)
    audit_record(user=request.user, action=AuditEntry.Action.VIEW, obj=found, person_id=found.person_id)
    return render(
        request, "rights/detail.html", {"req": found, "form": DecideForm(), "due_soon": due_soon(found)}
    )


@requires(Perm.RIGHTS_REVIEW)
@require_POST
def decide(request, request_id: int):
    found = _request_or_404(request.user, request_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages_add_form_errors(request, form)
    else:
        try:
            services.request_decide(user=request.user, request=found, **form.cleaned_data)
            messages.success(request, _("Solicitud resuelta."))
        except (ValidationError, DomainError) as exc:
            messages_add_service_errors(request, exc)
    return redirect("rights:detail", request_id=found.pk)


@requires(Perm.RIGHTS_REVIEW)
def package(request, request_id: int, fmt: str):
    found = _request_or_404(request.user, request_id)
    content = found.package_pdf if fmt == "pdf" else found.package_json if fmt == "json" else None
    if not content:
        raise Http404
    audit_record(
        user=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=found,
        person_id=found.person_id,
        detail={"format": fmt},
    )
    return package_response(found, fmt, bytes(content))


def package_response(found, fmt: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="expediente-{found.pk}.{fmt}"'
    return response


@requires(Perm.RIGHTS_FILE)
def file_for_person(request, person_id: int):
    try:
        person = person_get_visible(request.user, person_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                filed = services.request_file(user=request.user, person_id=person.pk, **form.service_kwargs())
            except (ValidationError, DomainError) as exc:
                messages_add_service_errors(request, exc)
            else:
                messages.success(
                    request,
                    _("Solicitud registrada; fecha límite de respuesta: %(d)s.")
                    % {"d": filed.due_on.strftime("%d/%m/%Y")},
                )
                return redirect("identity:person", person_id=person.pk)
        else:
            messages_add_form_errors(request, form)
    return render(request, "rights/file.html", {"person": person, "form": form})
