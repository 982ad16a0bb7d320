"""Scope rules: which reception points (and so which people) a user's role reaches.

Every page and API call that reads personal data filters through these functions; the selectors
of each app build on them, so a rule changes here and nowhere else.
"""

from django.db.models import QuerySet

from retorno.accounts.models import Role, User
from retorno.core.exceptions import AccessDenied
from retorno.reference.models import ReceptionPoint

# Roles that may read returnees' personal data through reception (caseworkers see persons only
# through referrals to their institution; analysts never).
PERSONAL_DATA_ROLES = {Role.RECEPTION_OFFICER, Role.SUPERVISOR, Role.CHILD_PROTECTION, Role.ADMIN}


def points_in_scope(user: User) -> QuerySet[ReceptionPoint]:
    """The reception points whose people the user may see. Empty for caseworkers and analysts."""
    points = ReceptionPoint.objects.all()
    if user.is_admin_role:
        return points
    if user.role not in PERSONAL_DATA_ROLES:
        return points.none()
    if user.reception_point_id:
        return points.filter(pk=user.reception_point_id)
    if user.state_id:
        return points.filter(state_id=user.state_id)
    if user.role == Role.RECEPTION_OFFICER:
        return points.none()
    return points  # national supervisor or child-protection officer


def is_national(user: User) -> bool:
    return user.is_admin_role or (
        user.role in (Role.SUPERVISOR, Role.CHILD_PROTECTION)
        and not user.reception_point_id
        and not user.state_id
    )


def require_role(user: User, *roles: str) -> None:
    """Raise AccessDenied unless the user has one of `roles` (admins always pass)."""
    if not user.is_authenticated:
        raise AccessDenied
    if user.is_admin_role or user.role in roles:
        return
    raise AccessDenied


def require_point(user: User, point: ReceptionPoint) -> None:
    """Raise AccessDenied unless `point` is in the user's scope."""
    if (
        user.reception_point_id is not None
        and user.reception_point_id == point.pk
        and (user.is_admin_role or user.role in PERSONAL_DATA_ROLES)
    ):
        return  # the user's own point: in scope for every role that has a point (no query)
    if not points_in_scope(user).filter(pk=point.pk).exists():
        raise AccessDenied


def require_personal_data(user: User) -> None:
    """Raise AccessDenied unless the user's role may read returnees' personal data at all
    (scope still applies: see points_in_scope and the selectors)."""
    if not user.is_authenticated or not (user.is_admin_role or user.role in PERSONAL_DATA_ROLES):
        raise AccessDenied
