"""The request behind the current audit entries, kept in a context variable by the middleware."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    ip: str | None = None
    path: str = ""
    channel: str = "cli"


current: ContextVar[AuditContext] = ContextVar("audit_context", default=AuditContext())  # noqa: B039 (frozen)
