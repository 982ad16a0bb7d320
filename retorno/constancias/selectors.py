"""Reading constancias and the events they belong to, within the user's scope.

A constancia is reached through its event: whoever may read the event (reception.selectors:
point scope; child-protection officers minors only) may read its constancias.
"""

import re

from django.db.models import QuerySet

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, can
from retorno.constancias.models import Constancia
from retorno.reception.models import RepatriationEvent
from retorno.reception.selectors import event_list_visible

FOLIO_RE = re.compile(r"[A-Z0-9]{1,12}-\d{4}-\d{6,9}")


def event_get_visible(user: User, event_id: int) -> RepatriationEvent:
    """The event if the user may read its constancias; raises RepatriationEvent.DoesNotExist
    otherwise (a 404: other points' events are not even confirmed to exist)."""
    if not can(user, Perm.CONSTANCIA_READ):
        raise RepatriationEvent.DoesNotExist
    return event_list_visible(user).get(pk=event_id)


def constancia_list_visible(user: User) -> QuerySet[Constancia]:
    """Constancias of events the user may read, newest first, with the holder's name at hand."""
    if not can(user, Perm.CONSTANCIA_READ):
        return Constancia.objects.none()
    return Constancia.objects.select_related(
        "reception_point", "event", "event__person", "superseded_by"
    ).filter(event__in=event_list_visible(user).values("pk"))


def constancia_list_for_event(user: User, event: RepatriationEvent) -> QuerySet[Constancia]:
    return constancia_list_visible(user).filter(event=event)


def constancia_get_visible(user: User, folio: str) -> Constancia:
    """The constancia with `folio` if in scope; raises Constancia.DoesNotExist otherwise."""
    folio = (folio or "").strip().upper()
    if not FOLIO_RE.fullmatch(folio):
        raise Constancia.DoesNotExist
    return constancia_list_visible(user).get(folio=folio)
