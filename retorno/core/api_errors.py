"""One place that turns domain exceptions into JSON responses in the user's language, and that
documents those answers on every operation of the OpenAPI document."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from retorno.core.exceptions import DomainError

MSG_CONFLICT = gettext_lazy(
    "Otro registro con los mismos datos se guardó al mismo tiempo; no se guardó nada. Consulte y "
    "vuelva a intentar."
)
MSG_DATA = gettext_lazy("Un valor está fuera del rango que se puede guardar.")
MSG_THROTTLED = gettext_lazy("Demasiadas solicitudes; espere %(s)s segundos.")

# Pydantic's error types -> a message in the request's language (its own messages are English).
_PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("Campo obligatorio."),
    "string_too_long": gettext_lazy("Texto demasiado largo (máximo %(max_length)s caracteres)."),
    "string_too_short": gettext_lazy("Texto demasiado corto (mínimo %(min_length)s caracteres)."),
    "too_long": gettext_lazy("Demasiados elementos (máximo %(max_length)s)."),
    "string_type": gettext_lazy("Debe ser texto."),
    "int_parsing": gettext_lazy("Debe ser un número entero."),
    "int_type": gettext_lazy("Debe ser un número entero."),
    "int_from_float": gettext_lazy("Debe ser un número entero."),
    "float_parsing": gettext_lazy("Debe ser un número."),
    "float_type": gettext_lazy("Debe ser un número."),
    "bool_parsing": gettext_lazy("Debe ser verdadero o falso."),
    "bool_type": gettext_lazy("Debe ser verdadero o falso."),
    "greater_than_equal": gettext_lazy("Debe ser mayor o igual que %(ge)s."),
    "greater_than": gettext_lazy("Debe ser mayor que %(gt)s."),
    "less_than_equal": gettext_lazy("Debe ser menor o igual que %(le)s."),
    "less_than": gettext_lazy("Debe ser menor que %(lt)s."),
    "date_from_datetime_parsing": gettext_lazy("Fecha no válida: use AAAA-MM-DD."),
    "date_parsing": gettext_lazy("Fecha no válida: use AAAA-MM-DD."),
    "date_type": gettext_lazy("Fecha no válida: use AAAA-MM-DD."),
    "datetime_parsing": gettext_lazy("Fecha y hora no válidas: use AAAA-MM-DDTHH:MM:SS±HH:MM."),
    "datetime_from_date_parsing": gettext_lazy("Fecha y hora no válidas: use AAAA-MM-DDTHH:MM:SS±HH:MM."),
    "datetime_type": gettext_lazy("Fecha y hora no válidas: use AAAA-MM-DDTHH:MM:SS±HH:MM."),
    "time_parsing": gettext_lazy("Hora no válida: use HH:MM."),
    "literal_error": gettext_lazy("Valor no permitido; los valores válidos son: %(expected)s."),
    "enum": gettext_lazy("Valor no permitido; los valores válidos son: %(expected)s."),
    "list_type": gettext_lazy("Debe ser una lista."),
    "dict_type": gettext_lazy("Debe ser un objeto JSON."),
    "model_type": gettext_lazy("Debe ser un objeto JSON."),
    "model_attributes_type": gettext_lazy("Debe ser un objeto JSON."),
    "json_invalid": gettext_lazy("El cuerpo no es JSON válido."),
    "extra_forbidden": gettext_lazy("Campo desconocido."),
    "uuid_parsing": gettext_lazy("Identificador no válido."),
}


def _pydantic_message(err: dict) -> str:
    template = _PYDANTIC_MESSAGES.get(err.get("type", ""))
    if template is None:
        return str(_("Valor no válido."))
    try:
        return str(template) % {k: v for k, v in (err.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return str(_("Valor no válido."))


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


class ObjectBodyParser(Parser):
    """JSON bodies must be objects: ninja's own parser accepts `null`, a list or a number for an
    operation whose fields all have defaults, and answered 200 to nonsense."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


def install_exception_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def django_validation(request, exc):
        return _error_response(api, request, _validation_payload(exc), status=400)

    @api.exception_handler(NinjaValidationError)
    def schema_validation(request, exc):
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
            errors.setdefault(".".join(loc) or "__all__", []).append(_pydantic_message(err))
        return _error_response(api, request, {"detail": _("Datos inválidos."), "errors": errors}, status=422)

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        payload = {"detail": str(exc.message), "code": exc.code}
        payload.update(getattr(exc, "extra", None) or {})
        return _error_response(api, request, payload, status=exc.status_code)

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

    @api.exception_handler(IntegrityError)
    def integrity_error(request, exc):
        # Two requests raced for one unique value (the same CURP, the same idempotency key):
        # the loser is told so, and its transaction is rolled back.
        return _error_response(api, request, {"detail": str(MSG_CONFLICT), "code": "conflict"}, status=409)

    @api.exception_handler(DataError)
    def data_error(request, exc):
        return _error_response(api, request, {"detail": str(MSG_DATA)}, status=400)

    # An integer filter beyond 64 bits: PostgreSQL says DataError (above); SQLite's driver raises
    # OverflowError before the query runs. The same answer for both.
    @api.exception_handler(OverflowError)
    def overflow_error(request, exc):
        return _error_response(api, request, {"detail": str(MSG_DATA)}, status=400)

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        wait = max(1, int(exc.wait or 60))
        response = _error_response(api, request, {"detail": MSG_THROTTLED % {"s": wait}}, status=429)
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        message = str(exc)
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = _("El cuerpo de la solicitud debe ser un objeto JSON válido.")
        return _error_response(api, request, {"detail": message}, status=exc.status_code)


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail"],
}
_ERROR_DESCRIPTIONS = {
    400: "Bad input (field messages in `errors`), or text the server cannot store (NUL byte, invalid UTF-8)",
    401: "Authentication required (no, wrong, revoked or expired token)",
    403: "Your role may not do this",
    404: "Not found, or outside your scope",
    409: "A business rule refuses it now (the `code` says which), or a concurrent write won",
    422: "The request does not match the schema (field messages in `errors`)",
    429: "Rate limit: wait `Retry-After` seconds",
}


def install_operation_policies(api: NinjaAPI) -> None:
    """For every operation: check its permission (accounts.permissions, declared with
    `api_requires`) together with authentication, so that a role without it gets 403 before its
    input is validated; and document the JSON error answers (they come from the handlers above,
    so they are not part of each view's declared responses)."""
    from retorno.accounts.auth import ApiTokenAuth, VerifiedSessionAuth

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                permission = getattr(operation.view_func, "retorno_permission", None)
                if permission is not None and operation.auth_param is NOT_SET:
                    auth = [ApiTokenAuth(permission), VerifiedSessionAuth(permission)]
                    operation.auth_param = auth
                    operation._set_auth(auth)
                statuses = dict(_ERROR_DESCRIPTIONS)
                if operation.auth_callbacks == [] or operation.auth_callbacks is None:
                    statuses.pop(401, None)
                responses = {
                    str(status): {
                        "description": text,
                        "content": {"application/json": {"schema": _ERROR_SCHEMA}},
                    }
                    for status, text in statuses.items()
                    if status not in operation.response_models
                }
                extra = dict(operation.openapi_extra or {})
                extra["responses"] = {**responses, **extra.get("responses", {})}
                # The permission the operation asks (accounts.permissions), for clients and the
                # permission matrix test; null = open to the public.
                permission = getattr(operation.view_func, "retorno_permission", "")
                extra["x-retorno-permission"] = str(permission) if permission else None
                operation.openapi_extra = extra
