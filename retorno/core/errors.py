"""One home for errors shown to people: error pages, JSON errors outside the API router, and the
"service refused -> form errors / messages" step every page needs.

Services raise Django's ValidationError (field -> messages), DomainError (a rule: 409) or
AccessDenied (403); selectors raise Model.DoesNotExist for records out of the user's reach. Views
let DoesNotExist travel up (ErrorPagesMiddleware turns it into the 404 page) and hand refusals
to `form_add_service_errors` or `messages_add_service_errors`.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from retorno.core.exceptions import DomainError


def wants_json(request) -> bool:
    return request.path.startswith("/api/")


def error_response(request, status: int, message: str = "") -> HttpResponse:
    """The error page (or JSON under /api/) for `status`, in the request's language."""
    if wants_json(request):
        return JsonResponse({"detail": message or _default_message(status)}, status=status)
    return render(
        request,
        "core/error.html",
        {"status": status, "title": _default_title(status), "message": message or _default_message(status)},
        status=status,
    )


def bad_request_response(request, message: str) -> HttpResponse:
    return error_response(request, 400, message)


def _default_title(status: int) -> str:
    return {
        400: _("Solicitud no válida"),
        403: _("Sin permiso"),
        404: _("Página no encontrada"),
        500: _("Error del servidor"),
    }.get(status, _("Error"))


def _default_message(status: int) -> str:
    return {
        400: _("La solicitud no se pudo procesar. Revise los datos e intente de nuevo."),
        403: _("Su rol o su ámbito no permiten ver esta página o hacer esta acción."),
        404: _("No existe, o no está en su ámbito."),
        500: _(
            "Ocurrió un error inesperado. No se guardó nada de esta operación; intente de nuevo y, "
            "si se repite, avise al administrador."
        ),
    }.get(status, "")


def form_add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, exc.messages)


def messages_add_service_errors(request, exc: Exception) -> None:
    """Show a service's refusal (ValidationError, DomainError) as page messages."""
    if isinstance(exc, ValidationError):
        for msg in exc.messages:
            messages.error(request, msg)
    elif isinstance(exc, DomainError):
        messages.error(request, str(exc.message))
    else:
        messages.error(request, str(exc) or _default_message(403))


def messages_add_form_errors(request, form) -> None:
    """Show an invalid form's errors as page messages, each after its field's label (for forms
    posted from a page section that redirects back instead of re-rendering the form)."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def messages_after_correction(request, form, correct) -> None:
    """The outcome of a correction form posted from a record's page, as page messages: when the
    form is valid, `correct(changes, reason)` (the app's service) runs and its refusal, if any,
    is shown; else the form's errors are."""
    if not form.is_valid():
        messages_add_form_errors(request, form)
        return
    try:
        correct(form.changes(), form.cleaned_data["reason"])
    except (ValidationError, DomainError) as exc:
        messages_add_service_errors(request, exc)
    else:
        messages.success(request, _("Corrección guardada."))


class ErrorPagesMiddleware:
    """A record out of reach is a 404 page, never a 500: views call selectors directly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if wants_json(request):
            return None  # the API router has its own handlers (core.api_errors)
        if isinstance(exception, ObjectDoesNotExist):
            return error_response(request, 404)
        return None


# Django's error views (urls.py handler400/403/404/500).
def page_bad_request(request, exception=None):
    return error_response(request, 400)


def page_permission_denied(request, exception=None):
    message = str(exception) if exception is not None and str(exception) else ""
    return error_response(request, 403, message)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def page_server_error(request):
    # No template context processors that touch the database: the error may be the database.
    if wants_json(request):
        return JsonResponse({"detail": _default_message(500)}, status=500)
    from django.template import loader

    template = loader.get_template("core/error_500.html")
    return HttpResponse(template.render({"message": _default_message(500)}), status=500)
