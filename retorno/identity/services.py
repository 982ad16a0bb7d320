"""Person operations: match-before-create search at the desk and contact updates."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import is_national, points_in_scope
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.services import audit_record, audit_search
from retorno.core.exceptions import DomainError
from retorno.identity.curp import CurpStemInput, curp_disagreements, curp_stem
from retorno.identity.matching import MatchQuery, person_match_candidates
from retorno.identity.models import Person
from retorno.identity.national_ids import InvalidNationalId, national_id_scheme
from retorno.identity.national_ids.messages import national_id_bad, national_id_taken
from retorno.identity.selectors import person_get_visible, person_list_visible
from retorno.identity.tickets import match_ticket_issue

MSG_EMAIL_INVALID = _("Correo electrónico no válido.")
MSG_PHONE_INVALID = _("Teléfono no válido: use solo dígitos, espacios, guiones y + (7 a 20 caracteres).")

# Part of the CURP -> what to tell the officer when it disagrees with the typed data.
CURP_PART_LABELS = {
    "names": _("las letras de los nombres y apellidos"),
    "birth_date": _("la fecha de nacimiento"),
    "sex": _("el sexo"),
    "birth_state": _("la entidad de nacimiento"),
}


@dataclass(frozen=True)
class CandidateView:
    """Minimal identification of a possible existing person (may be from another point)."""

    person_id: int
    score: float
    band: str
    reasons: tuple[str, ...]
    full_name: str
    birth_date: date | None
    sex: str
    birth_state: str
    curp_masked: str
    arrivals: int
    last_arrival: datetime | None
    last_point: str
    match_ticket: str = ""  # pass it back when registering on this person (identity.tickets)
    # Already a person of the user's scope; otherwise attaching an arrival to them opens another
    # point's record, which asks a reason (reception.services.arrival_register).
    in_scope: bool = False


def mask_curp(curp: str) -> str:
    """Only the last four characters of a national id are shown to users outside the person's
    point."""
    return national_id_scheme().mask(curp)


def person_candidates_search(
    *, user: User, query: MatchQuery, limit: int = 5, audit_detail: dict | None = None
) -> list[CandidateView]:
    """Likely existing persons for the data typed at the desk, with minimal identification.

    Searches the whole history (a repeat returnee may have been received at another point), so
    only name, birth date, sex, birth state, masked CURP and arrival counts are returned; the
    search itself is audited (action "search"). Raises AccessDenied for roles that do not register.
    """
    from retorno.reception.selectors import person_arrival_summary

    require(user, Perm.PERSON_MATCH)
    candidates = person_match_candidates(query, limit=limit)
    if not candidates:
        return []
    ids = [c.person_id for c in candidates]
    summary = person_arrival_summary(ids)
    # In scope: arrived at one of the user's points (the desk roles' reach; person_list_visible
    # says the same, but as a second query per search).
    if is_national(user):
        visible = set(ids)
    else:
        scope = (
            {user.reception_point_id}
            if user.reception_point_id
            else set(points_in_scope(user).values_list("pk", flat=True))
        )
        visible = {pid for pid in ids if summary[pid]["points"] & scope}
    views = []
    for c in candidates:
        given, first, second, sex, birth_date, _state_code, curp, state_name = c.person_row
        s = summary[c.person_id]
        views.append(
            CandidateView(
                person_id=c.person_id,
                score=c.score,
                band=c.band,
                reasons=tuple(c.reasons),
                full_name=Person.name_from(given, first, second),
                birth_date=birth_date,
                sex=sex,
                birth_state=state_name,
                curp_masked=mask_curp(curp),
                arrivals=s["arrivals"],
                last_arrival=s["last_arrival"],
                last_point=s["last_point"],
                match_ticket=match_ticket_issue(
                    user_id=user.pk, person_id=c.person_id, in_scope=c.person_id in visible
                ),
                in_scope=c.person_id in visible,
            )
        )
    audit_search(
        user=user,
        object_type="identity.person",
        detail={
            "candidates": [v.person_id for v in views],
            "bands": [v.band for v in views],
            **(audit_detail or {}),
        },
    )
    return views


@dataclass(frozen=True)
class CurpFeedback:
    stem: str  # first 16 characters computed from the data ('' when data are incomplete)
    valid: bool | None  # None when no CURP was typed
    invalid_reason: str  # InvalidNationalId.reason when not valid
    disagreements: tuple[str, ...]  # parts of the typed CURP that disagree with the data

    @property
    def disagreement_labels(self) -> list[str]:
        return [str(CURP_PART_LABELS[p]) for p in self.disagreements]


def curp_feedback(
    *,
    given_names: str,
    first_surname: str,
    second_surname: str,
    sex: str,
    birth_date,
    birth_state: str,
    curp: str,
) -> CurpFeedback:
    """Warnings (never blocks) about a typed national id and, for a CURP, the stem computed from
    the data (other countries' numbers cannot be derived from a person's data)."""
    scheme = national_id_scheme()
    stem = ""
    stem_input = None
    if scheme.derivable and given_names.strip() and (first_surname.strip() or second_surname.strip()) and sex and birth_date:
        stem_input = CurpStemInput(
            given_names, first_surname, second_surname, sex, birth_date, birth_state or "NE"
        )
        stem = curp_stem(stem_input)
        if not birth_state:  # 'NE' stood in for the unknown state: do not show it as a fact
            stem = stem[:11] + "··" + stem[13:]
    if not curp.strip():
        return CurpFeedback(stem, None, "", ())
    try:
        curp = scheme.validate(curp)
    except InvalidNationalId as exc:
        return CurpFeedback(stem, False, exc.reason, ())
    problems = tuple(curp_disagreements(curp, stem_input)) if stem_input else ()
    if stem_input and not birth_state:
        problems = tuple(p for p in problems if p != "birth_state")
    return CurpFeedback(stem, True, "", problems)


_PHONE_CHARS = set("0123456789 +-()")


def _clean_phone(value: str, field: str, errors: dict) -> str:
    value = " ".join(value.split())
    if value and (not set(value) <= _PHONE_CHARS or not 7 <= len(value) <= 20):
        errors[field] = [MSG_PHONE_INVALID]
    return value


@transaction.atomic
def person_update_contact(
    *,
    user: User,
    person_id: int,
    phone_mx: str,
    phone_us: str,
    email: str | None = None,
    contact_by_message: bool | None = None,
) -> Person:
    """Update a person's phone numbers (and e-mail when given). Raises Person.DoesNotExist
    outside the user's scope, AccessDenied for roles that do not work the desk, ValidationError
    for malformed values."""
    require(user, Perm.PERSON_CONTACT)
    person = person_get_visible(user, person_id)
    return contact_details_save(
        person=person,
        values={
            "phone_mx": phone_mx,
            "phone_us": phone_us,
            **({} if email is None else {"email": email}),
            **({} if contact_by_message is None else {"contact_by_message": contact_by_message}),
        },
        audit=lambda changes: audit_record(
            user=user,
            action="update",
            obj=person,
            person_id=person.pk,
            reception_point_id=user.reception_point_id,
            detail={"fields": sorted(changes), "changes": changes},
        ),
    )


def contact_details_save(*, person: Person, values: dict, audit) -> Person:
    """Write the contact fields in `values` (phone_mx, phone_us, email) after checking them; the
    changed ones, with their old values, go to `audit(changes)` (who changed them is the
    caller's: an officer at the desk, or the person in the portal). Callers hold the transaction."""
    errors: dict = {}
    cleaned = {}
    for field in ("phone_mx", "phone_us"):
        if field in values:
            cleaned[field] = _clean_phone(values[field] or "", field, errors)
    if "contact_by_message" in values:
        cleaned["contact_by_message"] = bool(values["contact_by_message"])
    if "email" in values:
        email = (values["email"] or "").strip()
        try:
            if email:
                validate_email(email)
        except ValidationError:
            errors["email"] = [MSG_EMAIL_INVALID]
        cleaned["email"] = email.lower()
    if errors:
        raise ValidationError(errors)
    changes = {f: [getattr(person, f), v] for f, v in cleaned.items() if getattr(person, f) != v}
    if changes:
        for field, (_old, new) in changes.items():
            setattr(person, field, new)
        person.save()
        audit(changes)
    return person


# --- Corrections of identity data ----------------------------------------------------------

PERSON_CORRECTABLE = (
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_state",
    "curp",
    "indigenous",
    "indigenous_language",
    "preferred_language",
)
MSG_REASON_REQUIRED = _("Indique el motivo de la corrección.")
MSG_NO_CHANGE = _("No hay cambios que guardar.")
MSG_FIELD_NOT_CORRECTABLE = _("Este dato no se corrige aquí: %(field)s.")
MSG_NAME_REQUIRED = _("El nombre no puede quedar vacío.")
MSG_SURNAME_REQUIRED = _("Debe quedar al menos un apellido.")
MSG_SEX = _("Seleccione el sexo (H o M).")
MSG_BIRTH_FUTURE = _("La fecha de nacimiento no puede ser futura.")
MSG_STATE_UNKNOWN = _("Entidad desconocida: %(code)s.")


def _state_value(state) -> str | None:
    return state.code if state is not None else None


@transaction.atomic
def person_correct(*, user: User, person_id: int, changes: dict, reason: str) -> Person:
    """Correct a person's identity data (the fields of PERSON_CORRECTABLE present in `changes`).

    The matching keys are recomputed on save (Person.save) and a CURP is validated again and
    compared with the new data (`curp_validated` says whether it agrees). Old and new values go
    to the audit trail, which the person page shows as the record's history. Raises
    Person.DoesNotExist outside the user's scope, AccessDenied for roles that do not correct,
    ValidationError for bad values, DomainError when nothing changes. Returns the person."""
    from retorno.reference.cache import reference_snapshot

    require(user, Perm.PERSON_CORRECT)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [MSG_REASON_REQUIRED]})
    unknown = sorted(set(changes) - set(PERSON_CORRECTABLE))
    if unknown:
        raise ValidationError({unknown[0]: [MSG_FIELD_NOT_CORRECTABLE % {"field": unknown[0]}]})
    person = person_list_visible(user).select_for_update().get(pk=person_id)
    errors: dict[str, list] = {}
    values = {}
    for name in ("given_names", "first_surname", "second_surname", "indigenous_language"):
        if name in changes:
            values[name] = " ".join((changes[name] or "").split())
    if "given_names" in values and not values["given_names"]:
        errors["given_names"] = [MSG_NAME_REQUIRED]
    first = values.get("first_surname", person.first_surname)
    second = values.get("second_surname", person.second_surname)
    if not first and not second:
        errors["first_surname"] = [MSG_SURNAME_REQUIRED]
    if "sex" in changes:
        values["sex"] = (changes["sex"] or "").upper()
        if values["sex"] not in ("H", "M"):
            errors["sex"] = [MSG_SEX]
    if "birth_date" in changes:
        values["birth_date"] = changes["birth_date"]
        if values["birth_date"] and values["birth_date"] > timezone.localdate():
            errors["birth_date"] = [MSG_BIRTH_FUTURE]
    if "birth_state" in changes:
        code = (changes["birth_state"] or "").upper()
        state = reference_snapshot().states_by_code.get(code) if code else None
        if code and state is None:
            errors["birth_state"] = [MSG_STATE_UNKNOWN % {"code": code}]
        values["birth_state"] = state
    if "curp" in changes:
        curp = (changes["curp"] or "").replace(" ", "").upper()
        if curp:
            try:
                curp = national_id_scheme().validate(curp)
            except InvalidNationalId:
                errors["curp"] = [national_id_bad()]
            else:
                if Person.objects.filter(curp=curp, merged_into__isnull=True).exclude(pk=person.pk).exists():
                    errors["curp"] = [national_id_taken()]
        values["curp"] = curp
    for name in ("indigenous", "preferred_language"):
        if name in changes:
            values[name] = changes[name]
    if errors:
        raise ValidationError(errors)
    history = {}
    for name, value in values.items():
        old = getattr(person, name)
        old_v = _state_value(old) if name == "birth_state" else old
        new_v = _state_value(value) if name == "birth_state" else value
        if old_v != new_v:
            history[name] = [
                old_v.isoformat() if isinstance(old_v, date) else old_v,
                new_v.isoformat() if isinstance(new_v, date) else new_v,
            ]
            setattr(person, name, value)
    if not history:
        raise DomainError(MSG_NO_CHANGE, code="no_change")
    if person.curp:
        feedback = curp_feedback(
            given_names=person.given_names,
            first_surname=person.first_surname,
            second_surname=person.second_surname,
            sex=person.sex,
            birth_date=person.birth_date,
            birth_state=person.birth_state.code if person.birth_state_id else "",
            curp=person.curp,
        )
        person.curp_validated = bool(feedback.valid) and not feedback.disagreements
    else:
        person.curp_validated = False
    person.save()  # recomputes the matching keys
    audit_record(
        user=user,
        action="update",
        obj=person,
        person_id=person.pk,
        reception_point_id=user.reception_point_id,
        detail={"changes": history, "reason": reason},
    )
    return person
