"""Referrals API: consents, referrals and their transitions. Same rules and audit as the pages."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from retorno.accounts.models import Role
from retorno.accounts.permissions import Perm, api_requires
from retorno.core.api_types import Id
from retorno.directory.models import Institution, Service
from retorno.identity.selectors import person_get_visible
from retorno.referrals import services
from retorno.referrals.models import Consent, Referral
from retorno.referrals.selectors import (
    consent_list_for_person,
    referral_list_filtered,
    referral_list_pending_for_user,
    referral_read,
)

router = Router()


class ConsentIn(Schema):
    person_id: int
    institution: str
    purpose: str
    method: str
    given_on: date | None = None
    valid_until: date | None = None


class ConsentOut(Schema):
    id: int
    person_id: int
    institution: str
    purpose: str
    method: str
    given_on: date
    valid_until: date | None
    recorded_by: str | None
    recorded_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str
    valid: bool

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.code

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by_id else None

    @staticmethod
    def resolve_valid(obj) -> bool:
        return obj.is_valid()


class WithdrawIn(Schema):
    reason: str


class ReferralIn(Schema):
    person_id: int
    service: str
    note: str = ""
    send: bool = False


class TransitionIn(Schema):
    to_status: str
    note: str = ""
    reason: str = ""
    outcome: str = ""


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    by: str
    note: str

    @staticmethod
    def resolve_by(obj) -> str:
        return obj.by_username


class ReferralOut(Schema):
    id: int
    person_id: int | None
    service: str
    institution: str
    reception_point: str | None
    status: str
    priority: str
    overdue: bool
    note: str
    reasons: list[str]
    shared_data: dict
    created_at: datetime
    sent_at: datetime | None
    responded_at: datetime | None
    closed_at: datetime | None
    response_due_at: datetime | None
    outcome_due_at: datetime | None
    rejection_reason: str
    outcome: str

    @staticmethod
    def resolve_person_id(obj, context) -> int | None:
        # Caseworkers see the shared snapshot only, not even the internal person id.
        user = context["request"].user
        return None if user.role == Role.CASEWORKER and not user.is_admin_role else obj.person_id

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service.code

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.code

    @staticmethod
    def resolve_reception_point(obj) -> str | None:
        return obj.reception_point.code if obj.reception_point_id else None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue


class ReferralFilters(Schema):
    status: str = ""
    overdue: bool | None = None
    institution: str = ""
    person_id: Id | None = None


@router.get("/consents", response=list[ConsentOut], summary="A person's consents (newest first)")
@api_requires(Perm.REFERRAL_REFER)
def consents(request, person_id: Id):
    person = person_get_visible(request.user, person_id)
    return list(consent_list_for_person(person.pk))


@router.post("/consents", response={201: ConsentOut}, summary="Record informed consent")
@api_requires(Perm.REFERRAL_REFER)
def consent_create(request, payload: ConsentIn):
    person = person_get_visible(request.user, payload.person_id)
    institution = get_object_or_404(Institution, code=payload.institution[:40])
    consent = services.consent_record(
        user=request.user,
        person=person,
        institution=institution,
        purpose=payload.purpose,
        method=payload.method,
        given_on=payload.given_on,
        valid_until=payload.valid_until,
    )
    return HttpStatus(201, consent)


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut, summary="Withdraw a consent")
@api_requires(Perm.REFERRAL_REFER)
def consent_withdraw(request, consent_id: int, payload: WithdrawIn):
    consent = get_object_or_404(Consent, pk=consent_id)
    person_get_visible(request.user, consent.person_id)
    return services.consent_withdraw(user=request.user, consent=consent, reason=payload.reason)


@router.get("/referrals", response=list[ReferralOut], summary="Referrals visible to the user")
@paginate
@api_requires(Perm.REFERRAL_READ)
def referrals(request, filters: Query[ReferralFilters]):
    return referral_list_filtered(
        request.user,
        status=filters.status[:12],
        overdue=filters.overdue,
        institution=filters.institution[:40],
        person_id=filters.person_id,
    )


@router.get(
    "/referrals/pending", response=list[ReferralOut], summary="Referrals waiting for the user's action"
)
@paginate
@api_requires(Perm.REFERRAL_READ)
def pending(request):
    return referral_list_pending_for_user(request.user)


@router.post(
    "/referrals", response={201: ReferralOut}, summary="Create a referral (and send it when send=true)"
)
@api_requires(Perm.REFERRAL_REFER)
def referral_create(request, payload: ReferralIn):
    person = person_get_visible(request.user, payload.person_id)
    service = get_object_or_404(Service.objects.select_related("institution"), code=payload.service[:60])
    referral = services.referral_create(
        user=request.user, person=person, service=service, note=payload.note, send=payload.send
    )
    return HttpStatus(201, referral)


@router.get("/referrals/{referral_id}", response=ReferralOut)
@api_requires(Perm.REFERRAL_READ)
def referral(request, referral_id: int):
    return referral_read(request.user, referral_id)


@router.get("/referrals/{referral_id}/transitions", response=list[TransitionOut])
@api_requires(Perm.REFERRAL_READ)
def transitions(request, referral_id: int):
    return list(referral_read(request.user, referral_id).transitions.all())


@router.post(
    "/referrals/{referral_id}/transitions", response=ReferralOut, summary="Move a referral to a new status"
)
@api_requires(Perm.REFERRAL_READ)
def transition(request, referral_id: int, payload: TransitionIn):
    referral = referral_read(request.user, referral_id)
    services.referral_transition(
        user=request.user,
        referral=referral,
        to_status=payload.to_status,
        note=payload.note,
        reason=payload.reason,
        outcome=payload.outcome,
    )
    return Referral.objects.select_related("service", "institution", "reception_point").get(pk=referral.pk)
