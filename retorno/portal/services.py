"""Sign-in without a password, the messages sent to a person, and the person's own writes.

A returnee types the phone number or e-mail recorded at the desk, or a constancia's folio and
their birth date, and receives a six-digit code that lives RETORNO_PORTAL_CODE_MINUTES, works
once and dies after RETORNO_PORTAL_CODE_TRIES wrong tries. Codes are throttled per typed
identifier and per address. Every answer is the same whether the contact is registered or not;
minors and merged-away records get no code. Everything the person does is audited as the person
(username "persona:<id>", role "returnee").
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_as_person
from retorno.identity.models import Person
from retorno.identity.services import contact_details_save
from retorno.portal.gateways import gateway_for
from retorno.portal.models import OutboundMessage, SignInChallenge
from retorno.reference.rules import adult_age, age_on

MSG_CODE_WRONG = gettext_lazy("El código no es correcto. Revise el mensaje e inténtelo de nuevo.")
MSG_CODE_DEAD = gettext_lazy("El código venció o ya se usó. Pida uno nuevo.")
MSG_TOO_MANY = gettext_lazy("Demasiados intentos. Espere unos minutos y vuelva a pedir un código.")
MSG_IDENTIFIER = gettext_lazy("Escriba su teléfono o su correo electrónico.")
MSG_FOLIO = gettext_lazy("Escriba el folio de su constancia y su fecha de nacimiento.")


class SignInError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _digest(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


# ---- finding the person ---------------------------------------------------------------------


def _by_contact(identifier: str) -> tuple[Person | None, str, str]:
    """(person, channel, destination) for a typed phone number or e-mail."""
    live = Person.objects.filter(merged_into__isnull=True, blocked_at__isnull=True)
    if "@" in identifier:
        person = live.filter(email__iexact=identifier.strip()).order_by("pk").first()
        return person, "email", person.email if person else ""
    found = persons_with_phone(identifier, live)
    return (found[0][0], "sms", found[0][1]) if found else (None, "", "")


def persons_with_phone(phone: str, people=None) -> list[tuple[Person, str]]:
    """(person, the number as recorded) of the persons whose Mexican or US phone is `phone`,
    compared on the last ten digits whatever the spacing (sign-in, STOP replies)."""
    tail = _digits(phone)[-10:]
    if len(tail) < 7:
        return []
    people = Person.objects.filter(merged_into__isnull=True) if people is None else people
    # The last four digits narrow the rows in SQL; the comparison itself is done here, digits only.
    rows = people.filter(Q(phone_mx__contains=tail[-4:]) | Q(phone_us__contains=tail[-4:])).order_by("pk")[
        :200
    ]
    return [
        (person, phone_)
        for person in rows
        for phone_ in (person.phone_mx, person.phone_us)
        if phone_ and _digits(phone_)[-10:] == tail
    ]


def _by_folio(folio: str, birth_date) -> tuple[Person | None, str, str]:
    from retorno.constancias.models import Constancia

    constancia = (
        Constancia.objects.select_related("event__person").filter(folio__iexact=folio.strip()).first()
        if folio.strip()
        else None
    )
    person = constancia.event.person if constancia else None
    if person is None or person.birth_date != birth_date:
        return None, "", ""
    while person.merged_into_id:
        person = person.merged_into
    if person.phone_mx or person.phone_us:
        return person, "sms", person.phone_mx or person.phone_us
    if person.email:
        return person, "email", person.email
    return None, "", ""


def _international(phone: str) -> str:
    """A number as the SMS gateway wants it (+52..., +1...)."""
    from retorno.reference.country import country_profile

    digits = _digits(phone)
    if phone.strip().startswith("+"):
        return f"+{digits}"
    prefix = str(country_profile().get("phone_prefix") or "+52")
    return f"{prefix}{digits[-10:]}"


# ---- messages -------------------------------------------------------------------------------


def message_send(
    *, person: Person | None, channel: str, destination: str, purpose: str, body: str, subject: str = ""
) -> OutboundMessage:
    """Send one message through the channel's gateway and record it with what the gateway said."""
    gateway = gateway_for(channel)
    to = _international(destination) if channel in ("sms", "whatsapp") else destination
    if channel == "whatsapp":
        to = f"whatsapp:{to}"
    message = OutboundMessage.objects.create(
        person=person, channel=channel, destination=to, purpose=purpose, body=body, gateway=gateway.name
    )
    result = gateway.send(to, body, subject=subject)
    message.status = OutboundMessage.Status.SENT if result.ok else OutboundMessage.Status.FAILED
    message.gateway_ref, message.error = result.ref, result.error
    message.sent_at = timezone.now() if result.ok else None
    message.save(update_fields=["status", "gateway_ref", "error", "sent_at"])
    return message


# ---- sign-in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    challenge_id: str
    channel: str  # what the page may say ("sms"/"email"); "" is shown as a neutral sentence


def _throttled(identifier_hash: str, ip: str | None) -> bool:
    now = timezone.now()
    window = now - timedelta(minutes=settings.RETORNO_PORTAL_THROTTLE_MINUTES)
    recent = SignInChallenge.objects.filter(created_at__gte=window)
    if recent.filter(identifier_hash=identifier_hash).count() >= settings.RETORNO_PORTAL_CODES_PER_IDENTIFIER:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= settings.RETORNO_PORTAL_CODES_PER_ADDRESS


def sign_in_start(
    *, identifier: str = "", folio: str = "", birth_date=None, ip: str | None = None
) -> Started:
    """Send a code to the person's recorded contact, if any. The answer is the same for a contact
    nobody has. ValidationError for empty input; SignInError when throttled."""
    identifier = (identifier or "").strip()[:254]
    if folio or birth_date:
        if not (folio and birth_date):
            raise ValidationError({"folio": [MSG_FOLIO]})
        typed = f"folio:{folio.strip().upper()}:{birth_date.isoformat()}"
        person, channel, destination = _by_folio(folio[:40], birth_date)
    else:
        if not identifier:
            raise ValidationError({"identifier": [MSG_IDENTIFIER]})
        typed = f"contact:{identifier.casefold() if '@' in identifier else _digits(identifier)[-10:]}"
        person, channel, destination = _by_contact(identifier)
    identifier_hash = _digest(typed)
    if _throttled(identifier_hash, ip):
        raise SignInError(MSG_TOO_MANY)
    if (
        person is not None
        and (age := age_on(person.birth_date, timezone.localdate())) is not None
        and age < adult_age()
    ):
        person = None  # minors get no account: their guardian signs in and sees their case
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        challenge = SignInChallenge.objects.create(
            person=person,
            identifier_hash=identifier_hash,
            channel=channel if person else "",
            code_hash=_digest(f"code:{code}"),
            expires_at=timezone.now() + timedelta(minutes=settings.RETORNO_PORTAL_CODE_MINUTES),
            ip=ip,
        )
    if person is not None:
        with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
            body = _(
                "Su código de Retorno es %(code)s. Vence en %(m)s minutos. No lo comparta con nadie."
            ) % {
                "code": code,
                "m": settings.RETORNO_PORTAL_CODE_MINUTES,
            }
        message_send(
            person=person,
            channel=channel,
            destination=destination,
            purpose="sign_in",
            body=body,
            subject="Retorno",
        )
        audit_as_person(
            person.pk,
            AuditEntry.Action.CREATE,
            obj=challenge,
            detail={"what": "sign_in_code", "channel": channel},
        )
    return Started(str(challenge.pk), "")


def sign_in_verify(*, challenge_id: str, code: str) -> Person:
    """The person the code signs in; SignInError otherwise (wrong, expired, used or locked).
    A wrong try is counted in its own transaction, committed before the error is raised."""
    with transaction.atomic():
        person, error = _verify(challenge_id, code)
    if error is not None:
        raise SignInError(error)
    return person


def _verify(challenge_id: str, code: str):
    try:
        challenge = SignInChallenge.objects.select_for_update().get(pk=challenge_id)
    except (SignInChallenge.DoesNotExist, ValidationError, ValueError):
        return None, MSG_CODE_DEAD
    now = timezone.now()
    if (
        challenge.used_at
        or challenge.expires_at < now
        or challenge.attempts >= settings.RETORNO_PORTAL_CODE_TRIES
    ):
        return None, MSG_CODE_DEAD
    given = _digits(code or "")[:6]
    if challenge.person_id is None or not hmac.compare_digest(challenge.code_hash, _digest(f"code:{given}")):
        challenge.attempts += 1
        challenge.save(update_fields=["attempts"])
        if challenge.person_id:
            audit_as_person(
                challenge.person_id,
                AuditEntry.Action.LOGIN,
                obj=challenge,
                detail={"ok": False, "attempt": challenge.attempts},
            )
        return (
            None,
            MSG_TOO_MANY if challenge.attempts >= settings.RETORNO_PORTAL_CODE_TRIES else MSG_CODE_WRONG,
        )
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    audit_as_person(challenge.person_id, AuditEntry.Action.LOGIN, obj=challenge, detail={"ok": True})
    return challenge.person, None


def own_constancia_pdf(person: Person, *, by: str):
    """(constancia, PDF) of the person's valid constancia, the download audited as the person;
    None when there is none. `by`: the channel (portal page, portal API)."""
    from retorno.constancias.pdf import constancia_pdf
    from retorno.constancias.services import verification_url
    from retorno.portal.selectors import own_constancia

    constancia = own_constancia(person)
    if constancia is None:
        return None
    audit_as_person(
        person.pk, AuditEntry.Action.PRINT, obj=constancia, detail={"folio": constancia.folio, "by": by}
    )
    return constancia, constancia_pdf(constancia, verification_url(constancia))


# ---- the person's own writes ----------------------------------------------------------------


@transaction.atomic
def contact_update_by_person(*, person: Person, phone_mx: str, phone_us: str, email: str) -> Person:
    """The person corrects their own contact details; the audit keeps the old values."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    return contact_details_save(
        person=person,
        values={"phone_mx": phone_mx, "phone_us": phone_us, "email": email},
        audit=lambda changes: audit_as_person(
            person.pk,
            AuditEntry.Action.UPDATE,
            obj=person,
            detail={"fields": sorted(changes), "changes": changes},
        ),
    )
