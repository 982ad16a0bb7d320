"""Issuing, printing and revoking proofs of reception (constancias)."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import require_point
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.services import audit_record
from retorno.constancias.models import Constancia, FolioCounter
from retorno.core.exceptions import DomainError
from retorno.reception.models import RepatriationEvent
from retorno.reference.models import ReceptionPoint

MSG_ALREADY_ISSUED = _("Este evento ya tiene una constancia vigente (folio %(folio)s); reimprímala.")
MSG_ALREADY_REVOKED = _("La constancia %(folio)s ya fue revocada.")
MSG_PRINT_REVOKED = _("La constancia %(folio)s está revocada y no puede imprimirse; emita una nueva.")
MSG_REASON_REQUIRED = _("Escriba el motivo de la revocación (al menos 10 caracteres).")
MSG_REASON_TOO_LONG = _("El motivo de la revocación no puede exceder 1000 caracteres.")

REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 1000
# 24 URL-safe characters (144 bits): not guessable, short enough for a small QR code.
TOKEN_BYTES = 18
FOLIO_DIGITS = 6
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")



def folio_format(point_code: str, year: int, number: int) -> str:
    """'TIJ-2026-000123': point code, year of issue, number zero-padded to six digits."""
    return f"{point_code}-{year}-{number:0{FOLIO_DIGITS}d}"


def folio_allocate(*, point: ReceptionPoint, year: int) -> int:
    """Reserve and return the next folio number of `point` in `year`.

    Must run inside the caller's transaction: the counter row stays locked until it commits, so
    concurrent issuers at the same point wait for each other instead of colliding.
    """
    FolioCounter.objects.get_or_create(reception_point=point, year=year)
    counter = FolioCounter.objects.select_for_update().get(reception_point=point, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def verification_url(constancia: Constancia) -> str:
    """The public URL printed in the QR code (RETORNO_PUBLIC_URL + /constancias/verify/<token>/)."""
    base = getattr(settings, "RETORNO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("constancias:verify", args=[constancia.token])


def mask_name(name: str) -> str:
    """'María García Hernández' -> 'M**** G***** H********': initials and the length of each word."""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


@transaction.atomic
def constancia_issue(*, user: User, event: RepatriationEvent) -> Constancia:
    """Issue a new constancia for `event`, superseding the latest revoked one if any.

    Raises AccessDenied (role or point), DomainError when a valid constancia already exists.
    Returns the new constancia (not yet printed: see constancia_print).
    """
    require(user, Perm.CONSTANCIA_ISSUE)
    require_point(user, event.reception_point)
    # Lock the event row so two clicks on "issue" for the same event serialise.
    event = (
        RepatriationEvent.objects.select_for_update()
        .select_related("person", "reception_point")
        .get(pk=event.pk)
    )
    current = Constancia.objects.filter(event=event, revoked_at__isnull=True).first()
    if current is not None:
        raise DomainError(MSG_ALREADY_ISSUED % {"folio": current.folio}, code="already_issued")
    previous = Constancia.objects.filter(event=event, superseded_by__isnull=True).first()

    point = event.reception_point
    year = timezone.localdate().year
    number = folio_allocate(point=point, year=year)
    person = event.person
    constancia = Constancia.objects.create(
        event=event,
        reception_point=point,
        year=year,
        number=number,
        folio=folio_format(point.code, year, number),
        token=secrets.token_urlsafe(TOKEN_BYTES),
        holder_name=person.full_name,
        holder_curp=person.curp,
        arrived_at=event.arrived_at,
        issued_by=user,
    )
    if previous is not None:
        previous.superseded_by = constancia
        previous.save(update_fields=["superseded_by"])
    audit_record(
        user=user,
        action="create",
        obj=constancia,
        person_id=person.pk,
        reception_point_id=point.pk,
        detail={"folio": constancia.folio, "supersedes": previous.folio if previous else None},
    )
    return constancia


@transaction.atomic
def constancia_print(*, user: User, constancia: Constancia) -> bytes:
    """Render the PDF of `constancia` and record the print (audit action "print").

    Raises AccessDenied (role or point), DomainError for a revoked constancia. Returns PDF bytes.
    """
    from retorno.constancias.pdf import constancia_pdf

    require(user, Perm.CONSTANCIA_ISSUE)
    require_point(user, constancia.reception_point)
    constancia = (
        Constancia.objects.select_for_update().select_related("reception_point").get(pk=constancia.pk)
    )
    if not constancia.is_valid:
        raise DomainError(MSG_PRINT_REVOKED % {"folio": constancia.folio}, code="revoked")
    constancia.print_count += 1
    constancia.save(update_fields=["print_count"])
    audit_record(
        user=user,
        action="print",
        obj=constancia,
        person_id=constancia.event.person_id,
        reception_point_id=constancia.reception_point_id,
        detail={
            "folio": constancia.folio,
            "copy": constancia.print_count,
            "reprint": constancia.print_count > 1,
        },
    )
    return constancia_pdf(constancia, verification_url(constancia))


@transaction.atomic
def constancia_revoke(*, user: User, constancia: Constancia, reason: str) -> Constancia:
    """Revoke `constancia` with a mandatory reason (supervisors of its point and admins only).

    Raises AccessDenied, ValidationError {"reason": ...}, DomainError when already revoked.
    Returns the revoked constancia.
    """
    require(user, Perm.CONSTANCIA_REVOKE)
    require_point(user, constancia.reception_point)
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": [MSG_REASON_REQUIRED]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": [MSG_REASON_TOO_LONG]})
    constancia = Constancia.objects.select_for_update().get(pk=constancia.pk)
    if not constancia.is_valid:
        raise DomainError(MSG_ALREADY_REVOKED % {"folio": constancia.folio}, code="already_revoked")
    constancia.revoked_at = timezone.now()
    constancia.revoked_by = user
    constancia.revoke_reason = reason
    constancia.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        user=user,
        action="revoke",
        obj=constancia,
        person_id=constancia.event.person_id,
        reception_point_id=constancia.reception_point_id,
        detail={"folio": constancia.folio, "reason": reason},
    )
    return constancia


def constancia_verification(*, token: str) -> dict | None:
    """What the public verification page and API may show for `token`, or None if unknown.

    Only what is needed to check a paper in hand: folio, point, date, masked name and validity.
    Never the full name, CURP, birth date or any other part of the record. The lookup is audited
    (anonymous "view") so the person's record shows when their constancia was checked.
    """
    if not TOKEN_RE.fullmatch(token or ""):
        return None
    constancia = Constancia.objects.select_related("reception_point").filter(token=token).first()
    if constancia is None:
        return None
    audit_record(
        user=None,
        action="view",
        obj=constancia,
        person_id=constancia.event.person_id,
        reception_point_id=constancia.reception_point_id,
        detail={"verification": True},
    )
    return {
        "folio": constancia.folio,
        "reception_point": constancia.reception_point.name,
        "date": timezone.localtime(constancia.arrived_at).date(),
        "holder": mask_name(constancia.holder_name),
        "valid": constancia.is_valid,
        "revoked_on": timezone.localtime(constancia.revoked_at).date() if constancia.revoked_at else None,
        "superseded": constancia.superseded_by_id is not None,
    }
