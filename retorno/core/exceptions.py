"""Domain exceptions raised by services and translated to HTTP at the edge.

Services raise Django's ValidationError for bad input (field -> messages) and the classes below
for rules about state or permission. Views turn them into form errors or 4xx JSON; see
retorno.core.api_errors for the API side.
"""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A request that is well-formed but not allowed by a business rule (HTTP 409)."""

    status_code = 409

    def __init__(self, message, *, code: str = "domain_error", extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}  # ids the client may act on (e.g. the existing event), sent along


class AccessDenied(PermissionDenied):
    """The user's role or scope does not reach this record (HTTP 403, or 404 to hide existence)."""
