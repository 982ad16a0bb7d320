"""Repatriation events API: register an arrival, list/detail within scope, close, DIF handover."""

from datetime import date, datetime
from typing import Literal

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from retorno.accounts.permissions import Perm, api_requires
from retorno.audit.services import audit_record
from retorno.core.api_types import MAX_ID
from retorno.core.idempotency import fingerprint, idempotent
from retorno.core.pagination import PageNumber
from retorno.identity.api_fields import (
    CURP_DESCRIPTION,
    NATIONAL_ID_DESCRIPTION,
    errors_named,
    national_id_input,
)
from retorno.reception import selectors, services
from retorno.reception.intake import IntakeRequest, intake_register
from retorno.reception.models import ChildProtectionHandover, RepatriationEvent
from retorno.reference.cache import reference_snapshot
from retorno.reference.models import ReceptionPoint

router = Router()

MAX_DOCUMENTS = 20
# Ids beyond a database bigint are refused by the schema rather than by the database driver.


class EventCreateIn(Schema):
    """One arrival. Person fields describe a new person, or complete an existing one
    (`existing_person_id`, which must be in scope or a match candidate for these data)."""

    given_names: str = Field(..., max_length=120)
    first_surname: str = Field("", max_length=80)
    second_surname: str = Field("", max_length=80)
    sex: Literal["H", "M", "h", "m"] = Field(..., description="H (hombre) or M (mujer)")
    birth_date: date | None = None
    estimated_age_band: Literal["0-11", "12-17", "18+", ""] = Field(
        "",
        description="Apparent age, required when `birth_date` is unknown (a minor is never presumed an adult)",
    )
    birth_state: str = Field(
        "", max_length=2, description="First-level division code (Mexico: CURP state letters, NE = born abroad)"
    )
    national_id: str = Field("", max_length=24, description=NATIONAL_ID_DESCRIPTION)
    curp: str = Field("", max_length=24, description=CURP_DESCRIPTION)
    phone_mx: str = Field("", max_length=20)
    phone_us: str = Field("", max_length=20)
    documents: list[str] = Field(default_factory=list, max_length=MAX_DOCUMENTS)
    destination_state: str = Field("", max_length=2)
    destination_municipality: str = Field("", max_length=120)
    unaccompanied_minor: bool = Field(
        False,
        description="Ignored for a minor without `accompanied_by_event_id`: such a minor is unaccompanied",
    )
    accompanied_by_event_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="A minor's adult companion: that adult's arrival in the same family group",
    )
    accompanied_relationship: Literal[
        "mother", "father", "grandparent", "sibling", "aunt_uncle", "other_relative", "guardian", ""
    ] = ""
    travelling_with_family: bool = Field(
        False, description="Opens a family group for this arrival (unless `family_with_event_id`)"
    )
    reception_point: str = Field("", max_length=12, description="Point code; default the caller's point")
    arrived_at: datetime | None = Field(None, description="Default: now")
    mode: Literal["land", "air"] | None = Field(None, description="Default: the point's mode")
    notes: str = Field("", max_length=2000)
    existing_person_id: int | None = Field(None, ge=1, le=MAX_ID)
    match_ticket: str = Field(
        "",
        max_length=200,
        description="The candidate's `match_ticket` from POST /api/identity/match, with "
        "`existing_person_id`: proves the person was shown to you as a candidate, so the match "
        "is not searched again (optional; without it the server re-checks)",
    )
    access_reason: str = Field(
        "",
        max_length=300,
        description="Required with an `existing_person_id` registered at another point "
        "(the candidate's `in_scope` is false): why the record is opened. Audited and reviewed "
        "by the point's supervisor.",
    )
    overruled_match: bool = Field(
        False,
        description="No `existing_person_id`: the officer saw likely matches and said it is another "
        "person. The new record and those candidates go to the identity review queue.",
    )
    family_with_event_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="An event of a family member: the new arrival joins its family group",
    )


class HandoverOut(Schema):
    agency: str
    received_by_name: str
    received_by_position: str
    handed_over_at: datetime
    notes: str


class EventOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.full_name")
    reception_point: str = Field(..., alias="reception_point.code")
    arrived_at: datetime
    mode: str
    documents: list[str]
    destination_state: str | None = Field(None, alias="destination_state.code")
    destination_municipality: str
    family_group_id: int | None
    age_at_arrival: int | None
    estimated_age_band: str
    minor: bool
    accompanied_by_event_id: int | None = Field(None, alias="accompanied_by_id")
    accompanied_relationship: str
    unaccompanied_minor: bool
    status: str
    closed_at: datetime | None
    notes: str
    handover: HandoverOut | None = None

    @staticmethod
    def resolve_handover(obj):
        return getattr(obj, "handover", None)


class EventFilters(Schema):
    point: str = Field("", max_length=12)
    status: Literal["open", "closed", ""] = ""
    unaccompanied: bool | None = None
    date_from: date | None = None
    date_to: date | None = None
    person_id: int | None = Field(None, ge=1, le=MAX_ID)


class HandoverIn(Schema):
    received_by_name: str = Field(..., max_length=160)
    received_by_position: str = Field("", max_length=120)
    agency: str = Field("", max_length=120, description="Default: the country's child-protection agency")
    handed_over_at: datetime | None = Field(None, description="Default: now")
    notes: str = Field("", max_length=2000)


class EventPatchIn(Schema):
    """Corrections of an arrival (only the fields sent change). A closed event: supervisors only."""

    reason: str = Field(..., min_length=3, max_length=300, description="Why the data are corrected (audited)")
    arrived_at: datetime | None = None
    mode: Literal["land", "air"] | None = None
    documents: list[str] | None = Field(None, max_length=MAX_DOCUMENTS)
    destination_state: str | None = Field(None, max_length=2)
    destination_municipality: str | None = Field(None, max_length=120)
    notes: str | None = Field(None, max_length=2000)
    estimated_age_band: Literal["0-11", "12-17", "18+", ""] | None = None
    accompanied_by_event_id: int | None = Field(None, ge=1, le=MAX_ID)
    accompanied_relationship: str | None = Field(None, max_length=16)


def _point(user, code: str) -> ReceptionPoint:
    if not code:
        if user.reception_point_id:
            return user.reception_point
        raise services.ValidationError({"reception_point": [services.MSG_POINT_REQUIRED]})
    point = reference_snapshot().points_by_code.get(code.upper())
    if point is None:
        raise services.ValidationError({"reception_point": [services.MSG_UNKNOWN_POINT % {"code": code}]})
    return point


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return timezone.now()
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _event_json(event: RepatriationEvent) -> dict:
    return EventOut.from_orm(event).model_dump(mode="json")


def _register(request, payload: EventCreateIn) -> tuple[int, dict]:
    user = request.auth
    point = _point(user, payload.reception_point)
    national_id, id_field = national_id_input(payload.national_id, payload.curp)
    data = services.ArrivalData(
        reception_point=point,
        arrived_at=_aware(payload.arrived_at),
        given_names=payload.given_names,
        first_surname=payload.first_surname,
        second_surname=payload.second_surname,
        sex=payload.sex.upper(),
        birth_date=payload.birth_date,
        birth_state=payload.birth_state,
        curp=national_id,
        phone_mx=payload.phone_mx,
        phone_us=payload.phone_us,
        documents=payload.documents,
        destination_state=payload.destination_state,
        destination_municipality=payload.destination_municipality,
        mode=payload.mode or point.mode,
        unaccompanied_minor=payload.unaccompanied_minor,
        estimated_age_band=payload.estimated_age_band,
        accompanied_by_event_id=payload.accompanied_by_event_id,
        accompanied_relationship=payload.accompanied_relationship,
        travelling_with_family=payload.travelling_with_family,
        notes=payload.notes,
    )
    with errors_named(id_field):
        result = intake_register(
            user=user,
            request=IntakeRequest(
                data=data,
                existing_person_id=payload.existing_person_id,
                match_ticket=payload.match_ticket,
                access_reason=payload.access_reason,
                confirm_new=payload.overruled_match,
                family_with_event_id=payload.family_with_event_id,
                check_matches=False,  # API clients ask POST /api/identity/match first
                savepoint=False,  # a failed call rolls back the whole request (core.api_errors)
            ),
        )
    return 201, _event_json(result.event)


@router.post(
    "/events",
    response={201: EventOut},
    openapi_extra={
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 200},
                "description": "Retry safely: the same key (with the same body) returns the first answer "
                "again and registers nothing new; the same key with another body is a 409",
            }
        ]
    },
)
@api_requires(Perm.ARRIVAL_REGISTER)
def create_event(request, payload: EventCreateIn):
    """Register an arrival (new person, or a repeat returnee with `existing_person_id`).
    409 `duplicate_arrival` (with `event_id`) for a double entry, including the same new person
    registered twice at once."""
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        status, body = _register(request, payload)
    else:
        outcome = idempotent(
            user=request.auth,
            scope="api:reception.events",
            key=key,
            request_fingerprint=fingerprint(request.body),
            run=lambda: _register(request, payload),
        )
        status, body = outcome.status_code, outcome.body
    response = JsonResponse(body, status=status)
    if key:
        response["Idempotency-Replayed"] = "true" if outcome.replayed else "false"
    return response


@router.get("/events", response=list[EventOut])
@paginate(PageNumber)
@api_requires(Perm.PERSON_READ)
def list_events(request, filters: Query[EventFilters]):
    """Arrivals in the caller's scope, newest first (each page audited: core.pagination)."""
    return selectors.event_list_filtered(request.auth, **filters.dict()).select_related("handover")


@router.get("/events/{event_id}", response=EventOut)
@api_requires(Perm.PERSON_READ)
def get_event(request, event_id: int):
    event = selectors.event_get_visible(request.auth, event_id)
    audit_record(
        user=request.auth,
        action="view",
        obj=event,
        person_id=event.person_id,
        reception_point_id=event.reception_point_id,
    )
    return event


@router.post("/events/{event_id}/close", response=EventOut)
@api_requires(Perm.ARRIVAL_HANDLE)
def close_event(request, event_id: int):
    """Close the event. 409 while an unaccompanied minor has no recorded handover to DIF."""
    services.event_close(user=request.auth, event_id=event_id)
    return selectors.event_get_visible(request.auth, event_id)


@router.post("/events/{event_id}/handover", response={201: HandoverOut})
@api_requires(Perm.ARRIVAL_HANDLE)
def record_handover(request, event_id: int, payload: HandoverIn):
    """Record the handover of a minor to the child-protection agency (DIF)."""
    handover = services.handover_record(
        user=request.auth,
        event_id=event_id,
        data=services.HandoverData(
            received_by_name=payload.received_by_name,
            received_by_position=payload.received_by_position,
            agency=payload.agency,
            handed_over_at=_aware(payload.handed_over_at),
            notes=payload.notes,
        ),
    )
    return Status(201, get_object_or_404(ChildProtectionHandover, pk=handover.pk))


@router.patch("/events/{event_id}", response=EventOut)
@api_requires(Perm.ARRIVAL_CORRECT)
def correct_event(request, event_id: int, payload: EventPatchIn):
    """Correct an arrival: old and new values go to the audit trail and the event's history.
    A closed event is corrected by supervisors only (403 otherwise)."""
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason")
    if "arrived_at" in changes and changes["arrived_at"] is not None:
        changes["arrived_at"] = _aware(changes["arrived_at"])
    services.event_correct(user=request.auth, event_id=event_id, changes=changes, reason=reason)
    return selectors.event_get_visible(request.auth, event_id)


__all__ = ["router", "RepatriationEvent"]
