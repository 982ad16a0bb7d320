"""Who may read, file and review policy progress: the permission table (accounts.permissions)
plus the two scope rules of this app (a caseworker files for their own institution only; only
national supervisors review)."""

from retorno.accounts.access import is_national
from retorno.accounts.permissions import Perm, can, require


def can_read(user) -> bool:
    return can(user, Perm.POLICY_READ)


def require_read(user) -> None:
    require(user, Perm.POLICY_READ)


def can_file_for(user, institution) -> bool:
    """Admins file for any agency; a caseworker only for their own institution."""
    if not can(user, Perm.POLICY_FILE):
        return False
    return user.is_admin_role or (institution is not None and user.institution_id == institution.pk)


def can_file(user) -> bool:
    return can(user, Perm.POLICY_FILE)


def can_review(user) -> bool:
    """National supervisors (and admins) review the agencies' reports."""
    return can(user, Perm.POLICY_REVIEW) and is_national(user)
