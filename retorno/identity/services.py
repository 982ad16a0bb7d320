"""Person operations: match-before-create search at the desk and contact updates."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.services import audit_record, audit_search
from retorno.identity.curp import CurpStemInput, InvalidCurp, curp_disagreements, curp_stem, curp_validate
from retorno.identity.matching import MatchQuery, person_match_candidates
from retorno.identity.models import Person
from retorno.identity.selectors import person_get_visible
from retorno.identity.tickets import match_ticket_issue

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


def mask_curp(curp: str) -> str:
    """Only the last four characters of a CURP are shown to users outside the person's point."""
    return "•" * 14 + curp[-4:] if curp else ""


def person_candidates_search(*, user: User, query: MatchQuery, limit: int = 5) -> list[CandidateView]:
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
    summary = person_arrival_summary([c.person_id for c in candidates])
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
                match_ticket=match_ticket_issue(user_id=user.pk, person_id=c.person_id),
            )
        )
    audit_search(
        user=user,
        object_type="identity.person",
        detail={"candidates": [v.person_id for v in views], "bands": [v.band for v in views]},
    )
    return views


@dataclass(frozen=True)
class CurpFeedback:
    stem: str  # first 16 characters computed from the data ('' when data are incomplete)
    valid: bool | None  # None when no CURP was typed
    invalid_reason: str  # InvalidCurp.reason when not valid
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
    """Warnings (never blocks) about a typed CURP and the stem computed from the data."""
    stem = ""
    stem_input = None
    if given_names.strip() and (first_surname.strip() or second_surname.strip()) and sex and birth_date:
        stem_input = CurpStemInput(
            given_names, first_surname, second_surname, sex, birth_date, birth_state or "NE"
        )
        stem = curp_stem(stem_input)
        if not birth_state:  # 'NE' stood in for the unknown state: do not show it as a fact
            stem = stem[:11] + "··" + stem[13:]
    if not curp.strip():
        return CurpFeedback(stem, None, "", ())
    try:
        curp = curp_validate(curp)
    except InvalidCurp as exc:
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
def person_update_contact(*, user: User, person_id: int, phone_mx: str, phone_us: str) -> Person:
    """Update a person's phone numbers. Raises Person.DoesNotExist outside the user's scope,
    AccessDenied for roles that do not work the desk, ValidationError for malformed numbers."""
    require(user, Perm.PERSON_CONTACT)
    person = person_get_visible(user, person_id)
    errors: dict = {}
    phone_mx = _clean_phone(phone_mx, "phone_mx", errors)
    phone_us = _clean_phone(phone_us, "phone_us", errors)
    if errors:
        raise ValidationError(errors)
    changed = [f for f, v in (("phone_mx", phone_mx), ("phone_us", phone_us)) if getattr(person, f) != v]
    if changed:
        person.phone_mx, person.phone_us = phone_mx, phone_us
        person.save()
        audit_record(
            user=user,
            action="update",
            obj=person,
            person_id=person.pk,
            reception_point_id=user.reception_point_id,
            detail={"fields": changed},
        )
    return person
