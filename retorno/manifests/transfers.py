"""Assisted return between Retorno instances (PEM strategy 3.4).

When one country's instance receives a foreign national to be returned home (Mexico receives a
Guatemalan), it exports a transfer package: the expected arrival with only the fields the person
consented to share, signed with the sending instance's Ed25519 key as a compact JWS (joserfc; alg
"Ed25519", RFC 9864). The receiving instance verifies the signature against its list of trusted
senders and imports the package as a one-row manifest of expected arrivals, so the desk confirms
it like any other expected arrival. A tampered package, an unknown signer, a package for another
country, an expired or already imported one is refused with a clear message and nothing is
imported. Both sides record a Transfer: who, when, which consent scope, which fields.

Configuration (environment, see the README): RETORNO_INSTANCE_ID names this instance (the JWS
`kid`); RETORNO_SIGNING_KEY_FILE holds its private key as a JWK (created on first use, mode
0600); RETORNO_TRUSTED_SENDERS_FILE lists the instances whose packages are accepted:
    - {instance: retorno-mx, country: MX, key: {kty: OKP, crv: Ed25519, x: ...}}
`retorno transfer_key` prints this instance's entry for the other side's list.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from retorno.accounts.access import require_point
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.services import audit_record
from retorno.manifests.models import Manifest, Transfer
from retorno.manifests.services import manifest_import
from retorno.reference.country import country_code, country_profile
from retorno.reference.models import ReceptionPoint

PACKAGE_TYPE = "retorno.transfer/v1"
ALGORITHM = "Ed25519"
VALID_FOR = timedelta(days=30)
MAX_PACKAGE_BYTES = 20_000
# What each consent scope lets travel. Identity is the minimum: without it nothing is sent.
SCOPES: dict[str, tuple[str, ...]] = {
    "identity": ("given_names", "first_surname", "second_surname", "sex", "birth_date", "national_id"),
    "birthplace": ("birth_place",),
    "arrival": ("expected_at", "notes"),
}
CONSENT_METHODS = ("signed", "verbal", "guardian")


@dataclass
class TransferPerson:
    """The foreign national as the sending desk recorded them."""

    given_names: str
    first_surname: str = ""
    second_surname: str = ""
    sex: str = ""
    birth_date: date | None = None
    national_id: str = ""  # the number of the person's own country, as told or shown
    birth_place: str = ""  # a division's name in the person's country (the receiver resolves it)
    expected_at: datetime | None = None
    notes: str = ""


def instance_id() -> str:
    return str(settings.RETORNO_INSTANCE_ID)


def signing_key() -> OKPKey:
    """This instance's private key; created (and kept, owner-only) the first time it is needed."""
    path = Path(settings.RETORNO_SIGNING_KEY_FILE)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = OKPKey.generate_key("Ed25519")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(key.as_dict(private=True), fh)
        return key
    return OKPKey.import_key(json.loads(path.read_text(encoding="utf-8")))


def public_entry() -> dict:
    """This instance's entry for another instance's trusted-senders file."""
    return {
        "instance": instance_id(),
        "country": country_code(),
        "key": signing_key().as_dict(private=False),
    }


def trusted_senders() -> dict[str, dict]:
    path = Path(settings.RETORNO_TRUSTED_SENDERS_FILE)
    if not path.exists():
        return {}
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {str(e["instance"]): e for e in entries if isinstance(e, dict) and e.get("instance")}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"package": [message]})


def transfer_export(
    *,
    user: User,
    point: ReceptionPoint,
    person: TransferPerson,
    to_country: str,
    consent_scope: list[str],
    consent_method: str,
) -> tuple[str, Transfer]:
    """Sign a package for `to_country` with the fields `consent_scope` allows; record it.
    ValidationError (nothing recorded) without identity consent or for an unknown scope."""
    require(user, Perm.MANIFEST_USE)
    require_point(user, point)
    errors: dict[str, list[str]] = {}
    to_country = (to_country or "").strip().upper()
    own = country_code()
    if len(to_country) != 2 or not to_country.isalpha() or to_country == own:
        errors["to_country"] = [_("Indique el código de dos letras del país de la persona (p. ej. GT).")]
    unknown = [s for s in consent_scope if s not in SCOPES]
    if unknown:
        errors["consent_scope"] = [_("Alcance desconocido: %(s)s.") % {"s": ", ".join(unknown)}]
    elif "identity" not in consent_scope:
        errors["consent_scope"] = [
            _("Sin consentimiento para compartir su identidad no se envía nada a otro país.")
        ]
    if consent_method not in CONSENT_METHODS:
        errors["consent_method"] = [_("Forma de consentimiento no válida.")]
    if not " ".join(person.given_names.split()):
        errors["given_names"] = [_("Escriba el nombre o nombres de la persona.")]
    if errors:
        raise ValidationError(errors)
    allowed = [f for scope in SCOPES if scope in consent_scope for f in SCOPES[scope]]
    values = {}
    for name in allowed:
        value = getattr(person, name)
        if value in (None, ""):
            continue
        values[name] = value.isoformat() if isinstance(value, date | datetime) else " ".join(str(value).split())
    now = timezone.now()
    package_id = uuid.uuid4()
    claims = {
        "type": PACKAGE_TYPE,
        "id": str(package_id),
        "from": {
            "instance": instance_id(),
            "country": own,
            "country_name": str(country_profile().get("name", own)),
            "point": point.name,
        },
        "to_country": to_country,
        "issued_at": now.isoformat(),
        "expires_at": (now + VALID_FOR).isoformat(),
        "consent": {"scope": sorted(set(consent_scope)), "method": consent_method, "recorded_at": now.isoformat()},
        "person": values,
    }
    payload = json.dumps(claims, ensure_ascii=False, sort_keys=True).encode("utf-8")
    token = jws.serialize_compact({"alg": ALGORITHM, "kid": instance_id()}, payload, signing_key(), algorithms=[ALGORITHM])
    with transaction.atomic():
        record = Transfer.objects.create(
            package_id=package_id,
            direction=Transfer.Direction.OUT,
            instance=instance_id(),
            country=to_country,
            consent_scope=claims["consent"]["scope"],
            consent_method=consent_method,
            fields=sorted(values),
            package_sha256=hashlib.sha256(token.encode()).hexdigest(),
            reception_point=point,
            created_by=user,
        )
        audit_record(
            user=user,
            action="export",
            obj=record,
            reception_point_id=point.pk,
            detail={"to_country": to_country, "fields": sorted(values), "scope": claims["consent"]["scope"]},
        )
    return token, record


def verify_package(token: str) -> tuple[dict, dict]:
    """(claims, sender) of a package signed by a trusted sender for this country; ValidationError
    naming 'package' otherwise."""
    token = (token or "").strip()
    if not token or len(token) > MAX_PACKAGE_BYTES or token.count(".") != 2:
        raise _refuse(_("No es un paquete de transferencia de Retorno."))
    try:
        header = jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, UnicodeError):
        raise _refuse(_("No es un paquete de transferencia de Retorno.")) from None
    sender = trusted_senders().get(str(header.get("kid", "")))
    if sender is None:
        raise _refuse(
            _("El paquete viene de una instancia que no está en la lista de remitentes de confianza (%(kid)s).")
            % {"kid": str(header.get("kid", "?"))[:80]}
        )
    if header.get("alg") != ALGORITHM:
        raise _refuse(_("El paquete no está firmado con Ed25519."))
    try:
        verified = jws.deserialize_compact(token, OKPKey.import_key(sender["key"]), algorithms=[ALGORITHM])
        claims = json.loads(verified.payload)
    except (JoseError, ValueError, KeyError, TypeError):
        raise _refuse(_("La firma del paquete no es válida: fue alterado o no lo firmó %(kid)s.") % {"kid": sender["instance"]}) from None
    own = country_code()
    if not isinstance(claims, dict) or claims.get("type") != PACKAGE_TYPE:
        raise _refuse(_("No es un paquete de transferencia de Retorno."))
    if str((claims.get("from") or {}).get("country", "")).upper() != str(sender.get("country", "")).upper():
        raise _refuse(_("El país de origen del paquete no es el de su remitente de confianza."))
    if claims.get("to_country") != own:
        raise _refuse(_("El paquete es para otro país (%(cc)s).") % {"cc": str(claims.get("to_country"))[:2]})
    try:
        expired = datetime.fromisoformat(claims["expires_at"]) < timezone.now()
        uuid.UUID(str(claims["id"]))
    except (KeyError, TypeError, ValueError):
        raise _refuse(_("No es un paquete de transferencia de Retorno.")) from None
    if expired:
        raise _refuse(_("El paquete venció; pida al país de origen uno nuevo."))
    return claims, sender


def _local_time(value: str) -> str:
    """An ISO time with its offset, as the manifests read it: local time of this instance."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return ""
    if timezone.is_naive(moment):
        return moment.strftime("%Y-%m-%d %H:%M")
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def transfer_import(*, user: User, point: ReceptionPoint, token: str) -> Manifest:
    """Verify a package and import it at `point` as a one-row manifest of expected arrivals
    titled with where the person comes from. All or nothing."""
    require(user, Perm.MANIFEST_USE)
    require_point(user, point)
    claims, sender = verify_package(token)
    person = claims.get("person") or {}
    consent = claims.get("consent") or {}
    origin = claims.get("from") or {}
    if Transfer.objects.filter(
        direction=Transfer.Direction.IN, instance=sender["instance"], package_id=claims["id"]
    ).exists():
        raise _refuse(_("Este paquete ya se importó."))
    scope = ", ".join(str(s) for s in consent.get("scope") or [])
    note = _("Retorno asistido desde %(country)s (%(point)s); consentimiento: %(scope)s.") % {
        "country": str(origin.get("country_name") or origin.get("country", "?"))[:60],
        "point": str(origin.get("point", ""))[:80],
        "scope": scope,
    }
    row = {
        "given_names": person.get("given_names", ""),
        "first_surname": person.get("first_surname", ""),
        "second_surname": person.get("second_surname", ""),
        "sex": person.get("sex", ""),
        "birth_date": person.get("birth_date", ""),
        "birth_state": person.get("birth_place", ""),
        "nationality": country_code(),
        "curp": person.get("national_id", ""),
        "expected_at": _local_time(person.get("expected_at", "")),
        "notes": " ".join(filter(None, [note, person.get("notes", "")]))[:2000],
    }
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    title = _("Retorno asistido desde %(country)s · %(instance)s") % {
        "country": str(origin.get("country_name") or origin.get("country", "?"))[:60],
        "instance": sender["instance"],
    }
    try:
        with transaction.atomic():
            manifest = manifest_import(
                user=user,
                point=point,
                content=buf.getvalue().encode("utf-8"),
                filename=f"transfer-{claims['id']}.csv",
                title=title[:200],
            )
            record = Transfer.objects.create(
                package_id=claims["id"],
                direction=Transfer.Direction.IN,
                instance=sender["instance"],
                country=str(origin.get("country", ""))[:2],
                consent_scope=list(consent.get("scope") or []),
                consent_method=str(consent.get("method", ""))[:20],
                fields=sorted(person),
                package_sha256=hashlib.sha256(token.strip().encode()).hexdigest(),
                manifest=manifest,
                reception_point=point,
                created_by=user,
            )
            audit_record(
                user=user,
                action="create",
                obj=record,
                reception_point_id=point.pk,
                detail={"from": sender["instance"], "fields": sorted(person), "manifest": manifest.pk},
            )
    except IntegrityError:  # the same package imported at the same moment by another desk
        raise _refuse(_("Este paquete ya se importó.")) from None
    return manifest
