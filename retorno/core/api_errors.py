"""One place that turns domain exceptions into JSON responses in the user's language."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from retorno.core.exceptions import DomainError


def _validation_payload(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    first = next(iter(errors.values()))[0]
    return {"detail": first, "errors": errors}


def _error_response(api: NinjaAPI, request, payload: dict, status: int):
    """An error answer: whatever the request wrote before the error is rolled back (the request
    runs in one transaction, ATOMIC_REQUESTS), so a call that fails changes nothing, even when
    an earlier step of it had succeeded."""
    if transaction.get_connection().in_atomic_block:
        transaction.set_rollback(True)
    return api.create_response(request, payload, status=status)


def install_exception_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def django_validation(request, exc):
        return _error_response(api, request, _validation_payload(exc), status=400)

    @api.exception_handler(NinjaValidationError)
    def schema_validation(request, exc):
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
            errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", ""))
        return _error_response(api, request, {"detail": _("Datos inválidos."), "errors": errors}, status=422)

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        return _error_response(
            api, request, {"detail": str(exc.message), "code": exc.code}, status=exc.status_code
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return _error_response(
            api, request, {"detail": str(exc) or _("No tiene permiso para esta acción.")}, status=403
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return _error_response(api, request, {"detail": _("Autenticación requerida.")}, status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _error_response(api, request, {"detail": _("No encontrado.")}, status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def does_not_exist(request, exc):
        return _error_response(api, request, {"detail": _("No encontrado.")}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return _error_response(api, request, {"detail": str(exc)}, status=exc.status_code)
