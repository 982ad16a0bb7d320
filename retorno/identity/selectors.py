"""Reading persons, always through the user's scope."""

from django.db.models import Exists, OuterRef, QuerySet

from retorno.accounts.access import is_national, points_in_scope
from retorno.accounts.models import Role, User
from retorno.identity.models import Person


def person_list_visible(user: User) -> QuerySet[Person]:
    """Live (not merged-away) persons the user may read.

    Reception officers and supervisors: persons with an arrival at a point in their scope.
    Child-protection officers: the same, limited to arrivals as minors. Admins and national
    supervisors: everyone. Caseworkers reach persons only through referrals (referrals app);
    analysts never.
    """
    from retorno.reception.models import RepatriationEvent

    persons = Person.objects.filter(merged_into__isnull=True)
    if user.role == Role.CHILD_PROTECTION and not user.is_admin_role:
        events = RepatriationEvent.objects.filter(person=OuterRef("pk"), age_at_arrival__lt=18)
        if not is_national(user):
            events = events.filter(reception_point__in=points_in_scope(user))
        return persons.filter(Exists(events))
    if is_national(user):
        return persons
    points = points_in_scope(user)
    return persons.filter(
        Exists(RepatriationEvent.objects.filter(person=OuterRef("pk"), reception_point__in=points))
    )


def person_get_visible(user: User, person_id: int) -> Person:
    """The person if the user may read it; raises Person.DoesNotExist otherwise (a 404, so that
    other points' records are not even confirmed to exist)."""
    return person_list_visible(user).get(pk=person_id)
