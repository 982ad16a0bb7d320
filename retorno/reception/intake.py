"""The desk's intake step, one service for the desk page and the API.

One call does what an officer does for one arriving person: join the family group of the
relative registered just before, look for the person in the whole history (and stop to ask when
a likely match exists and nobody has chosen yet), register the arrival (a new person, or a new
event on the chosen one), and send an overruled match ("otra persona") to the review queue.
"""

from dataclasses import dataclass, field

from django.db import transaction

from retorno.accounts.models import User
from retorno.identity.matching import MatchQuery
from retorno.identity.services import CandidateView, person_candidates_search
from retorno.reception import services
from retorno.reception.models import FamilyGroup, RepatriationEvent

# Bands strong enough to ask "is this the same person?" before creating a new record.
CONFIRM_BANDS = ("certain", "probable")


@dataclass
class IntakeRequest:
    data: services.ArrivalData
    existing_person_id: int | None = None  # the officer chose this person
    match_ticket: str = ""  # proof the chosen person was shown to this user (identity.tickets)
    access_reason: str = ""  # why another point's person is opened
    confirm_new: bool = False  # the officer saw likely matches and said "otra persona"
    family_with_event_id: int | None = None  # a relative's arrival: join its family group
    # The desk stops to ask when likely matches exist; API clients have asked /match themselves.
    check_matches: bool = True
    # The API's request is its transaction (rolled back whole on any error): no savepoint needed.
    savepoint: bool = True


@dataclass
class IntakeResult:
    event: RepatriationEvent | None  # None: the officer must choose among `candidates` first
    candidates: list[CandidateView] = field(default_factory=list)
    review_pairs: list = field(default_factory=list)

    @property
    def needs_choice(self) -> bool:
        return self.event is None


def match_query_for(data: services.ArrivalData) -> MatchQuery:
    return MatchQuery(
        given_names=data.given_names,
        first_surname=data.first_surname,
        second_surname=data.second_surname,
        sex=data.sex,
        birth_date=data.birth_date,
        birth_state=(data.birth_state or "").upper(),
        curp=(data.curp or "").replace(" ", "").upper(),
    )


def intake_register(*, user: User, request: IntakeRequest) -> IntakeResult:
    """Register one arriving person (see the module docstring). Returns the event, or no event
    and the likely matches when the officer must choose first. Raises what arrival_register
    raises; the whole step is one transaction (a refused arrival leaves no family group).

    A transaction (savepoint) of its own only when it writes before arrival_register (joining a
    family): otherwise arrival_register's is enough, and each savepoint is two round trips."""
    if request.family_with_event_id is None:
        return _intake(user, request)
    with transaction.atomic():
        return _intake(user, request)


def _intake(user: User, request: IntakeRequest) -> IntakeResult:
    if request.existing_person_id is None and not request.confirm_new and request.check_matches:
        candidates = person_candidates_search(user=user, query=match_query_for(request.data))
        strong = [c for c in candidates if c.band in CONFIRM_BANDS]
        if strong:
            return IntakeResult(event=None, candidates=strong)
    family_group: FamilyGroup | None = None
    if request.family_with_event_id is not None:
        family_group = services.family_group_for_event(user=user, event_id=request.family_with_event_id)
    event = services.arrival_register(
        user=user,
        data=request.data,
        existing_person_id=request.existing_person_id,
        family_group=family_group,
        match_ticket=request.match_ticket,
        access_reason=request.access_reason,
        savepoint=request.savepoint,
    )
    pairs = []
    if request.existing_person_id is None and request.confirm_new:
        pairs = services.arrival_overruled_match_report(user=user, event=event, data=request.data)
    return IntakeResult(event=event, review_pairs=pairs)
