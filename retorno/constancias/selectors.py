"""Reading constancias and the events they belong to, within the user's scope."""

import re

from django.db.models import QuerySet

from retorno.accounts.access import points_in_scope
from retorno.accounts.models import User
from retorno.constancias.models import Constancia
from retorno.reception.models import RepatriationEvent

FOLIO_RE = re.compile(r"[A-Z0-9]{1,12}-\d{4}-\d{6,9}")


def event_get_visible(user: User, event_id: int) -> RepatriationEvent:
    """The event if it is at a point in the user's scope; raises RepatriationEvent.DoesNotExist
    otherwise (a 404: other points' events are not even confirmed to exist)."""
    return (
        RepatriationEvent.objects.select_related("person", "reception_point")
        .filter(reception_point__in=points_in_scope(user))
        .get(pk=event_id)
    )


def constancia_list_visible(user: User) -> QuerySet[Constancia]:
    """Constancias of points in the user's scope, newest first."""
    return Constancia.objects.select_related("reception_point", "event", "superseded_by").filter(
        reception_point__in=points_in_scope(user)
    )


def constancia_list_for_event(user: User, event: RepatriationEvent) -> QuerySet[Constancia]:
    return constancia_list_visible(user).filter(event=event)


def constancia_get_visible(user: User, folio: str) -> Constancia:
    """The constancia with `folio` if in scope; raises Constancia.DoesNotExist otherwise."""
    folio = (folio or "").strip().upper()
    if not FOLIO_RE.fullmatch(folio):
        raise Constancia.DoesNotExist
    return constancia_list_visible(user).get(folio=folio)
