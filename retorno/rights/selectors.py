from datetime import timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from retorno.accounts.access import is_national, points_in_scope
from retorno.accounts.models import User
from retorno.rights.config import rights_config
from retorno.rights.models import DataRightsRequest


def requests_visible(user: User) -> QuerySet[DataRightsRequest]:
    """Requests of persons who arrived at the user's points (cancelled ones included: their
    records are blocked from every other use, not from the request that blocked them)."""
    from retorno.reception.models import RepatriationEvent

    requests = DataRightsRequest.objects.select_related("person")
    if is_national(user):
        return requests
    at_points = RepatriationEvent.objects.filter(
        person=OuterRef("person_id"), reception_point__in=points_in_scope(user)
    )
    return requests.filter(Exists(at_points))


def due_soon(request: DataRightsRequest) -> bool:
    return request.open and request.due_on <= timezone.localdate() + timedelta(days=rights_config()["remind"])
