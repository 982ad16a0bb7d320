"""Who may read, file and review policy progress (no personal data is involved, but each role
sees only what it needs)."""

from retorno.accounts.access import is_national
from retorno.accounts.models import Role
from retorno.core.exceptions import AccessDenied

# Roles that read the catalog, indicators, coverage and progress reports.
READ_ROLES = (Role.SUPERVISOR, Role.ANALYST, Role.CASEWORKER, Role.ADMIN)


def can_read(user) -> bool:
    return bool(user.is_authenticated and (user.is_admin_role or user.role in READ_ROLES))


def require_read(user) -> None:
    if not can_read(user):
        raise AccessDenied


def can_file_for(user, institution) -> bool:
    """Admins file for any agency; a caseworker only for their own institution."""
    if not user.is_authenticated:
        return False
    if user.is_admin_role:
        return True
    return user.role == Role.CASEWORKER and institution is not None and user.institution_id == institution.pk


def can_file(user) -> bool:
    return bool(user.is_authenticated and (user.is_admin_role or user.role == Role.CASEWORKER))


def can_review(user) -> bool:
    """National supervisors (and admins) review the agencies' reports."""
    return bool(
        user.is_authenticated and (user.is_admin_role or (user.role == Role.SUPERVISOR and is_national(user)))
    )
