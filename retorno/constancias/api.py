"""Constancias API: issue and reprint (PDF), revoke, list per event; public verification (JSON)."""

from datetime import date, datetime

from django.http import HttpResponse
from ninja import Router, Schema

from retorno.accounts.permissions import Perm, api_requires, open_to_public
from retorno.constancias import selectors, services
from retorno.constancias.models import Constancia

router = Router()


class ConstanciaOut(Schema):
    folio: str
    event_id: int
    reception_point: str
    issued_at: datetime
    print_count: int
    valid: bool
    revoked_at: datetime | None
    revoke_reason: str
    superseded_by: str | None
    verification_url: str


class RevokeIn(Schema):
    reason: str


class VerificationOut(Schema):
    folio: str
    reception_point: str
    date: date
    holder: str
    valid: bool
    revoked_on: date | None
    superseded: bool


def _out(c: Constancia) -> dict:
    return {
        "folio": c.folio,
        "event_id": c.event_id,
        "reception_point": c.reception_point.code,
        "issued_at": c.issued_at,
        "print_count": c.print_count,
        "valid": c.is_valid,
        "revoked_at": c.revoked_at,
        "revoke_reason": c.revoke_reason,
        "superseded_by": c.superseded_by.folio if c.superseded_by_id else None,
        "verification_url": services.verification_url(c),
    }


def _pdf(c: Constancia, content: bytes, status: int = 200) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf", status=status)
    response["Content-Disposition"] = f'attachment; filename="constancia-{c.folio}.pdf"'
    response["X-Folio"] = c.folio
    response["X-Verification-Url"] = services.verification_url(c)
    return response


@router.get("/events/{event_id}", response=list[ConstanciaOut], summary="Constancias of an event")
@api_requires(Perm.CONSTANCIA_READ)
def event_constancias(request, event_id: int):
    """All constancias of the event (valid and revoked), newest first. 404 outside your scope."""
    event = selectors.event_get_visible(request.auth, event_id)
    return [_out(c) for c in selectors.constancia_list_for_event(request.auth, event)]


@router.post(
    "/events/{event_id}",
    response={201: None},
    summary="Issue a constancia (returns the PDF)",
    openapi_extra={"responses": {201: {"content": {"application/pdf": {}}}}},
)
@api_requires(Perm.CONSTANCIA_ISSUE)
def issue(request, event_id: int):
    """Issue a constancia for the event and return its PDF (headers X-Folio, X-Verification-Url).
    409 when the event already has a valid constancia (reprint it instead)."""
    event = selectors.event_get_visible(request.auth, event_id)
    constancia = services.constancia_issue(user=request.auth, event=event)
    return _pdf(constancia, services.constancia_print(user=request.auth, constancia=constancia), status=201)


@router.get(
    "/{folio}/pdf",
    response={200: None},
    summary="Reprint a constancia (PDF)",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
@api_requires(Perm.CONSTANCIA_ISSUE)
def reprint(request, folio: str):
    """The PDF of a valid constancia; each call is audited as a print. 409 if revoked."""
    constancia = selectors.constancia_get_visible(request.auth, folio)
    return _pdf(constancia, services.constancia_print(user=request.auth, constancia=constancia))


@router.post("/{folio}/revoke", response=ConstanciaOut, summary="Revoke a constancia")
@api_requires(Perm.CONSTANCIA_REVOKE)
def revoke(request, folio: str, payload: RevokeIn):
    """Supervisors of the point and admins only; a reason is required. 409 if already revoked."""
    constancia = selectors.constancia_get_visible(request.auth, folio)
    return _out(services.constancia_revoke(user=request.auth, constancia=constancia, reason=payload.reason))


@router.get("/verify/{token}", response=VerificationOut, auth=None, summary="Verify a constancia (public)")
@open_to_public
def verify(request, token: str):
    """Public, no authentication: folio, point, date, masked name and validity only."""
    result = services.constancia_verification(token=token)
    if result is None:
        raise Constancia.DoesNotExist
    return result
