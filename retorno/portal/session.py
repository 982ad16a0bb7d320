"""The returnee's portal session: a person id in the (anonymous) Django session, short-lived
(idle RETORNO_PORTAL_IDLE_MINUTES, at most RETORNO_PORTAL_MAX_MINUTES from the sign-in), kept
apart from the staff's login."""

import time
from functools import wraps

from django.conf import settings
from django.shortcuts import redirect

from retorno.accounts.permissions import open_to_public
from retorno.identity.models import Person

KEY = "retorno_portal"
CHALLENGE = "retorno_portal_challenge"


def portal_start(request, person: Person) -> None:
    request.session.cycle_key()  # no session fixation across the sign-in
    now = time.time()
    request.session[KEY] = {"person": person.pk, "at": now, "seen": now}
    request.session.pop(CHALLENGE, None)


def portal_end(request) -> None:
    request.session.pop(KEY, None)
    request.session.cycle_key()


def portal_person(request) -> Person | None:
    """The signed-in person, or None (no session, expired, or the record was merged away)."""
    state = request.session.get(KEY) if hasattr(request, "session") else None
    if not isinstance(state, dict):
        return None
    now = time.time()
    if (
        now - state.get("at", 0) > settings.RETORNO_PORTAL_MAX_MINUTES * 60
        or now - state.get("seen", 0) > settings.RETORNO_PORTAL_IDLE_MINUTES * 60
    ):
        request.session.pop(KEY, None)
        return None
    person = Person.objects.filter(
        pk=state.get("person"), merged_into__isnull=True, blocked_at__isnull=True
    ).first()
    if person is None:
        request.session.pop(KEY, None)
        return None
    if now - state.get("seen", 0) >= 60:
        request.session[KEY] = {**state, "seen": now}
    return person


def portal_required(view):
    """A portal page: the signed-in person as `person`, else the sign-in page. Open to the
    public in the permission table (staff roles do not apply here)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        person = portal_person(request)
        if person is None:
            return redirect("portal:sign_in")
        return view(request, person, *args, **kwargs)

    return open_to_public(wrapped)
