"""Match tickets: proof that a person was shown to a user as a match candidate.

The match search returns, with each candidate, a ticket signed with the deployment's secret
(Django's TimestampSigner) that binds the user and the person. Registering an arrival on that
person with the ticket skips re-running the search to check that the person really is a
candidate: the search already was the check, and it was audited. Without a valid ticket the
registration falls back to the full check (reception.services.existing_person_check).
"""

from django.core import signing

# A desk may keep the candidates on screen for a while (the busload is long); after an hour
# the registration re-checks by searching again.
MAX_AGE_SECONDS = 3600
_SALT = "retorno.identity.match-ticket"


def match_ticket_issue(*, user_id: int, person_id: int) -> str:
    """A ticket saying that `person_id` was a match candidate shown to `user_id` now."""
    return signing.TimestampSigner(salt=_SALT).sign(f"{user_id}.{person_id}")


def match_ticket_valid(ticket: str, *, user, person_id: int) -> bool:
    """True when `ticket` was issued to this user for this person less than MAX_AGE_SECONDS ago;
    False for an empty, forged, expired or someone else's ticket."""
    if not ticket or user is None or not getattr(user, "pk", None):
        return False
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(ticket, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:  # includes SignatureExpired
        return False
    return value == f"{user.pk}.{person_id}"
