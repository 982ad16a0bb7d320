"""Match tickets: proof that a person was shown to a user as a match candidate.

The match search returns, with each candidate, a ticket signed with the deployment's secret
(Django's TimestampSigner) that binds the user, the person and whether the person was already in
the user's scope. Registering an arrival on that person with the ticket skips re-running the
search to check that the person really is a candidate: the search already was the check, and it
was audited. Without a valid ticket the registration falls back to the full check
(reception.services.existing_person_check). A forged ticket needs SECRET_KEY, which the settings
refuse to default outside DEBUG.
"""

from dataclasses import dataclass

from django.core import signing

# A desk may keep the candidates on screen for a while (the busload is long); after an hour
# the registration re-checks by searching again.
MAX_AGE_SECONDS = 3600
_SALT = "retorno.identity.match-ticket"


@dataclass(frozen=True)
class Ticket:
    person_id: int
    in_scope: bool  # the person was already visible to the user when shown


def match_ticket_issue(*, user_id: int, person_id: int, in_scope: bool = False) -> str:
    """A ticket saying that `person_id` was a match candidate shown to `user_id` now."""
    return signing.TimestampSigner(salt=_SALT).sign(f"{user_id}.{person_id}.{int(in_scope)}")


def match_ticket_read(ticket: str, *, user, person_id: int) -> Ticket | None:
    """The ticket's content when it was issued to this user for this person less than
    MAX_AGE_SECONDS ago; None for an empty, forged, expired or someone else's ticket."""
    if not ticket or user is None or not getattr(user, "pk", None):
        return None
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(ticket, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    parts = value.split(".")
    if len(parts) != 3 or parts[:2] != [str(user.pk), str(person_id)]:
        return None
    return Ticket(person_id=person_id, in_scope=parts[2] == "1")


def match_ticket_valid(ticket: str, *, user, person_id: int) -> bool:
    return match_ticket_read(ticket, user=user, person_id=person_id) is not None
