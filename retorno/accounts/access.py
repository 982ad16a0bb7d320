"""Scope rules: which reception points (and so which people) a user's role reaches.

What a role may do is the permission table (accounts.permissions); which records it reaches is
decided here. Every page and API call that reads personal data filters through these functions;
the selectors of each app build on them, so a rule changes here and nowhere else.
"""

from django.db.models import QuerySet

from retorno.accounts.models import Role, User
from retorno.accounts.permissions import Perm, can, require
from retorno.core.exceptions import AccessDenied
from retorno.reference.models import ReceptionPoint


def reads_personal_data(user: User) -> bool:
    """The role reads returnees' records through reception (caseworkers see persons only through
    referrals to their institution; analysts never)."""
    return can(user, Perm.PERSON_READ)


def points_in_scope(user: User) -> QuerySet[ReceptionPoint]:
    """The reception points whose people the user may see. Empty for caseworkers and analysts."""
    points = ReceptionPoint.objects.all()
    if user.is_admin_role:
        return points
    if not reads_personal_data(user):
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


def minors_only(user: User) -> bool:
    """Child-protection officers reach minors' records only."""
    return user.role == Role.CHILD_PROTECTION and not user.is_admin_role


def require_point(user: User, point: ReceptionPoint) -> None:
    """Raise AccessDenied unless `point` is in the user's scope."""
    if user.reception_point_id is not None and user.reception_point_id == point.pk and reads_personal_data(user):
        return  # the user's own point: in scope for every role that has a point (no query)
    if not points_in_scope(user).filter(pk=point.pk).exists():
        raise AccessDenied


def require_personal_data(user: User) -> None:
    """Raise AccessDenied unless the user's role may read returnees' personal data at all
    (scope still applies: see points_in_scope and the selectors)."""
    require(user, Perm.PERSON_READ)
