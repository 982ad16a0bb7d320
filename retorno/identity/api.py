"""Persons API: search within scope, detail, contact update, match-before-create candidates."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from retorno.accounts.permissions import Perm, api_requires
from retorno.audit.services import audit_record
from retorno.core.pagination import PageNumber
from retorno.identity.api_fields import (
    CURP_DESCRIPTION,
    NATIONAL_ID_DESCRIPTION,
    errors_named,
    national_id_input,
    national_id_output,
)
from retorno.identity.matching import MatchQuery
from retorno.identity.selectors import person_get_visible, person_search
from retorno.identity.services import person_candidates_search, person_correct, person_update_contact

router = Router()


class PersonSummaryOut(Schema):
    id: int
    given_names: str
    first_surname: str
    second_surname: str
    sex: str
    birth_date: date | None
    birth_state: str | None = Field(None, alias="birth_state.code")
    national_id: str = Field("", description=NATIONAL_ID_DESCRIPTION)
    curp: str | None = Field(None, description=CURP_DESCRIPTION)

    # Resolvers, not aliases: ninja looks a resolver up by the alias, so `alias="curp"` on
    # national_id would be fed resolve_curp's value.
    @staticmethod
    def resolve_national_id(obj) -> str:
        return obj.curp

    @staticmethod
    def resolve_curp(obj) -> str | None:
        return national_id_output(obj.curp)["curp"]


class PersonEventOut(Schema):
    id: int
    reception_point: str = Field(..., alias="reception_point.code")
    arrived_at: datetime
    mode: str
    status: str
    age_at_arrival: int | None
    unaccompanied_minor: bool


class PersonOut(PersonSummaryOut):
    national_id_validated: bool = False
    curp_validated: bool = Field(..., description="Older name of `national_id_validated`")

    @staticmethod
    def resolve_national_id_validated(obj) -> bool:
        return obj.curp_validated
    phone_mx: str
    phone_us: str
    events: list[PersonEventOut] = Field(..., alias="events_in_scope")


class PersonFilters(Schema):
    q: str = Field("", max_length=120, description="Words of the name, or the start of a national id (CURP)")
    birth_date: date | None = None


class ContactIn(Schema):
    phone_mx: str = Field("", max_length=20)
    phone_us: str = Field("", max_length=20)


class MatchIn(Schema):
    given_names: str = Field("", max_length=120)
    first_surname: str = Field("", max_length=80)
    second_surname: str = Field("", max_length=80)
    sex: str = Field("", max_length=1)
    birth_date: date | None = None
    birth_state: str = Field("", max_length=2)
    national_id: str = Field("", max_length=24, description=NATIONAL_ID_DESCRIPTION)
    curp: str = Field("", max_length=24, description=CURP_DESCRIPTION)
    limit: int = Field(5, ge=1, le=20)


class CandidateOut(Schema):
    """Minimal identification: the candidate may be a person of another point."""

    person_id: int
    score: float
    band: str
    reasons: list[str]
    full_name: str
    birth_date: date | None
    sex: str
    birth_state: str
    national_id_masked: str = ""
    curp_masked: str = Field(..., description="Older name of `national_id_masked`")

    @staticmethod
    def resolve_national_id_masked(obj) -> str:
        return obj.curp_masked
    arrivals: int
    last_arrival: datetime | None
    last_point: str
    match_ticket: str = Field(
        ...,
        description="Send it back as `match_ticket` with `existing_person_id` when registering the "
        "arrival on this person (valid for you, for one hour)",
    )
    in_scope: bool = Field(
        ..., description="Already a person of your scope; false: registering on them needs an `access_reason`"
    )


@router.get("/persons", response=list[PersonSummaryOut])
@paginate(PageNumber)
@api_requires(Perm.PERSON_READ)
def list_persons(request, filters: Query[PersonFilters]):
    """Persons in the caller's scope, optionally searched by name words, CURP start or birth date.
    Each page is audited as a read of the persons shown (core.pagination)."""
    return person_search(request.auth, text=filters.q, birth_date=filters.birth_date).select_related(
        "birth_state"
    )


@router.get("/persons/{person_id}", response=PersonOut)
@api_requires(Perm.PERSON_READ)
def get_person(request, person_id: int):
    """One person with their arrivals in the caller's scope. 404 outside the scope."""
    from retorno.reception.selectors import event_list_filtered

    person = person_get_visible(request.auth, person_id)
    events = list(event_list_filtered(request.auth, person_id=person.pk))
    audit_record(
        user=request.auth,
        action="view",
        obj=person,
        person_id=person.pk,
        reception_point_id=events[0].reception_point_id if events else None,
    )
    person.events_in_scope = events
    return person


@router.patch("/persons/{person_id}/contact", response=PersonSummaryOut)
@api_requires(Perm.PERSON_CONTACT)
def update_contact(request, person_id: int, payload: ContactIn):
    """Replace the person's phone numbers (Mexico, US). 400 on a malformed number."""
    return person_update_contact(
        user=request.auth, person_id=person_id, phone_mx=payload.phone_mx, phone_us=payload.phone_us
    )


class PersonPatchIn(Schema):
    """Corrections of identity data (only the fields sent change); the reason is audited."""

    reason: str = Field(..., min_length=3, max_length=300)
    given_names: str | None = Field(None, max_length=120)
    first_surname: str | None = Field(None, max_length=80)
    second_surname: str | None = Field(None, max_length=80)
    sex: Literal["H", "M"] | None = None
    birth_date: date | None = None
    birth_state: str | None = Field(None, max_length=2)
    national_id: str | None = Field(None, max_length=24, description=NATIONAL_ID_DESCRIPTION)
    curp: str | None = Field(None, max_length=24, description=CURP_DESCRIPTION)
    indigenous: bool | None = None
    indigenous_language: str | None = Field(None, max_length=60)
    preferred_language: Literal["es", "en"] | None = None


@router.patch("/persons/{person_id}", response=PersonSummaryOut)
@api_requires(Perm.PERSON_CORRECT)
def correct_person(request, person_id: int, payload: PersonPatchIn):
    """Correct a person's identity data. Old and new values go to the audit trail and the
    person's history; the matching keys and the CURP check are recomputed. 400 on bad values."""
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason")
    id_field = "curp"
    if "national_id" in changes or "curp" in changes:
        value, id_field = national_id_input(changes.pop("national_id", None), changes.pop("curp", None))
        changes["curp"] = value
    with errors_named(id_field):
        return person_correct(user=request.auth, person_id=person_id, changes=changes, reason=reason)


@router.post("/match", response=list[CandidateOut])
@api_requires(Perm.PERSON_MATCH)
def match(request, payload: MatchIn):
    """Likely existing persons for the data of an arrival (match before create), across all points,
    with minimal identification only. Audited as a search."""
    national_id, _field = national_id_input(payload.national_id, payload.curp)
    query = MatchQuery(
        given_names=payload.given_names,
        first_surname=payload.first_surname,
        second_surname=payload.second_surname,
        sex=payload.sex.upper(),
        birth_date=payload.birth_date,
        birth_state=payload.birth_state.upper(),
        curp=national_id.upper(),
    )
    return person_candidates_search(user=request.auth, query=query, limit=payload.limit)
