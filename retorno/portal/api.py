"""The returnee's API (/api/portal/) for a future mobile app: the same rules as the portal's
pages. Sign in with the one-time code, then send `Authorization: Bearer <portal token>` (signed,
short-lived, a person's and never a staff member's)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from retorno.accounts.permissions import open_to_public
from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_as_person
from retorno.core.exceptions import DomainError
from retorno.core.net import client_ip
from retorno.identity.models import Person
from retorno.portal import selectors, services

SALT = "retorno.portal.api"


class PortalBearer(HttpBearer):
    """A portal token: the person's id signed with a timestamp (RETORNO_PORTAL_MAX_MINUTES)."""

    def authenticate(self, request, token):
        try:
            person_id = signing.TimestampSigner(salt=SALT).unsign(
                token[:200], max_age=settings.RETORNO_PORTAL_MAX_MINUTES * 60
            )
        except signing.BadSignature:
            return None
        return Person.objects.filter(pk=person_id, merged_into__isnull=True, blocked_at__isnull=True).first()


router = Router()
PORTAL = PortalBearer()


class PortalSignInIn(Schema):
    identifier: str = Field(
        default="", max_length=254, description="Phone number or e-mail recorded at the desk"
    )
    folio: str = Field(default="", max_length=40, description="Or a constancia's folio ...")
    birth_date: date | None = Field(default=None, description="... with the birth date")


class PortalChallengeOut(Schema):
    challenge_id: str
    detail: str


class PortalVerifyIn(Schema):
    challenge_id: str = Field(max_length=64)
    code: str = Field(max_length=12)


class PortalTokenOut(Schema):
    token: str
    expires_at: datetime


class PortalReferralOut(Schema):
    service: str
    institution: str
    status: str
    phone: str
    email: str


class PortalFollowUpOut(Schema):
    months: int
    due_date: date
    status: str


class PortalCaseOut(Schema):
    given_names: str
    constancia_folio: str | None
    referrals: list[PortalReferralOut]
    followups: list[PortalFollowUpOut]
    services: list[str]


class PortalContactIn(Schema):
    phone_mx: str = Field(default="", max_length=20)
    phone_us: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=254)


@router.post("/sign-in", auth=None, response={202: PortalChallengeOut}, summary="Ask for a one-time code")
@open_to_public
def sign_in(request, payload: PortalSignInIn):
    started = services.sign_in_start(**payload.dict(), ip=client_ip(request))
    return 202, {
        "challenge_id": started.challenge_id,
        "detail": "If the details match a record, a code was sent to the phone or e-mail on record.",
    }


@router.post(
    "/sign-in/verify", auth=None, response=PortalTokenOut, summary="Exchange the code for a portal token"
)
@open_to_public
def verify(request, payload: PortalVerifyIn):
    try:
        person = services.sign_in_verify(challenge_id=payload.challenge_id, code=payload.code)
    except services.SignInError as exc:
        raise DomainError(exc.message, code="sign_in_failed") from exc
    token = signing.TimestampSigner(salt=SALT).sign(str(person.pk))
    return {
        "token": token,
        "expires_at": timezone.now() + timedelta(minutes=settings.RETORNO_PORTAL_MAX_MINUTES),
    }


@router.get(
    "/me",
    auth=PORTAL,
    response=PortalCaseOut,
    summary="One's own case: constancia, referrals, follow-ups, services",
)
@open_to_public
def me(request):
    person = request.auth
    case = selectors.own_case(person)
    audit_as_person(person.pk, AuditEntry.Action.VIEW, obj=person, detail={"what": "portal_api"})
    return {
        "given_names": person.given_names,
        "constancia_folio": case.constancia.folio if case.constancia else None,
        "referrals": [
            {
                "service": r.service.name,
                "institution": r.institution.name,
                "status": r.status,
                "phone": r.service.phone or r.institution.phone,
                "email": r.service.email or r.institution.email,
            }
            for r in case.referrals
        ],
        "followups": [
            {"months": f.months, "due_date": f.due_date, "status": f.status} for f in case.followups
        ],
        "services": [s.name for s in case.services],
    }


@router.get("/constancia", auth=PORTAL, summary="One's constancia as PDF", response={200: None})
@open_to_public
def constancia(request):
    found = services.own_constancia_pdf(request.auth, by="portal_api")
    if found is None:
        from django.http import Http404

        raise Http404
    return HttpResponse(found[1], content_type="application/pdf")


@router.put(
    "/contact",
    auth=PORTAL,
    response=PortalContactIn,
    summary="Update one's contact details (the old values are kept)",
)
@open_to_public
def contact(request, payload: PortalContactIn):
    person = services.contact_update_by_person(person=request.auth, **payload.dict())
    return {"phone_mx": person.phone_mx, "phone_us": person.phone_us, "email": person.email}


class PortalRightsIn(Schema):
    kind: str = Field(max_length=14, description="access | rectification | cancellation | opposition")
    details: str = Field(default="", max_length=2000)
    purpose: str = Field(default="", max_length=40, description="opposition: the purpose (rights.yaml)")
    changes: dict[str, str] = Field(default_factory=dict, description="rectification: field -> correct value")


class PortalRightsOut(Schema):
    id: int
    kind: str
    status: str
    filed_at: datetime
    due_on: date
    decision_note: str
    record_ready: bool

    @staticmethod
    def resolve_record_ready(obj) -> bool:
        return bool(obj.package_json)


class PortalGrievanceIn(Schema):
    kind: str = Field(max_length=10, description="complaint | suggestion | thanks")
    category: str = Field(max_length=24, description="a topic of grievances.yaml")
    text: str = Field(max_length=4000)
    anonymous: bool = False


class PortalGrievanceOut(Schema):
    code: str
    kind: str
    category: str
    status: str
    answer_by: date
    answer: str


@router.get("/rights", auth=PORTAL, response=list[PortalRightsOut], summary="One's data-rights requests")
@open_to_public
def rights(request):
    return list(request.auth.rights_requests.order_by("-filed_at"))


@router.post(
    "/rights", auth=PORTAL, response={201: PortalRightsOut}, summary="File a data-rights (ARCO) request"
)
@open_to_public
def rights_file(request, payload: PortalRightsIn):
    from retorno.rights.services import request_file_by_person

    return 201, request_file_by_person(person=request.auth, **payload.dict())


@router.get(
    "/rights/{request_id}/record",
    auth=PORTAL,
    response=dict,
    summary="The record of a granted access request",
)
@open_to_public
def rights_record(request, request_id: int):
    import json

    found = (
        request.auth.rights_requests.filter(pk=request_id, status="granted")
        .exclude(package_json=None)
        .first()
    )
    if found is None:
        from django.http import Http404

        raise Http404
    audit_as_person(
        request.auth.pk, AuditEntry.Action.EXPORT, obj=found, detail={"format": "json", "by": "portal_api"}
    )
    return json.loads(bytes(found.package_json))


@router.get(
    "/grievances",
    auth=PORTAL,
    response=list[PortalGrievanceOut],
    summary="One's grievances (not the anonymous ones)",
)
@open_to_public
def grievances(request):
    return list(request.auth.grievances.order_by("-filed_at"))


@router.post(
    "/grievances",
    auth=PORTAL,
    response={201: PortalGrievanceOut},
    summary="File a complaint, suggestion or thanks",
)
@open_to_public
def grievance_file(request, payload: PortalGrievanceIn):
    from retorno.grievances.services import grievance_file_by_person

    return 201, grievance_file_by_person(person=request.auth, **payload.dict())
