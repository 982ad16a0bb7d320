from django.db.models import QuerySet

from retorno.accounts.access import is_national, points_in_scope
from retorno.accounts.models import Role, User
from retorno.grievances.models import Grievance


def grievances_visible(user: User) -> QuerySet[Grievance]:
    """Supervisor-routed grievances of the user's points; human-rights matters (and everything)
    to national supervisors and administrators, among whom the human-rights contact is named."""
    grievances = Grievance.objects.select_related("reception_point")
    if is_national(user):
        return grievances
    if user.role == Role.SUPERVISOR:
        return grievances.filter(route="supervisor", reception_point__in=points_in_scope(user))
    return grievances.none()
