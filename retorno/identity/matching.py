"""Match-before-create at the desk: likely existing persons for the data being typed.

Baseline scorer: indexed blocking (CURP; birth date with surname or given name; surname with given
name), then a weighted string similarity. The linkage app replaces the scoring with the Splink
model's weights so the desk and the batch linkage agree.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from rapidfuzz.distance import JaroWinkler

from retorno.identity import names
from retorno.identity.models import Person

# Per-block cap keeps the lookup bounded for very common names (HERNANDEZ JUAN...).
BLOCK_LIMIT = 200


@dataclass(frozen=True)
class MatchQuery:
    given_names: str = ""
    first_surname: str = ""
    second_surname: str = ""
    sex: str = ""
    birth_date: date | None = None
    birth_state: str = ""  # CURP state code
    curp: str = ""


@dataclass(frozen=True)
class MatchCandidate:
    person_id: int
    score: float  # 0..1, higher = more likely the same person
    band: str  # 'certain' | 'probable' | 'possible'
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _swapped(d: date | None) -> date | None:
    if d is None or d.day > 12 or d.day == d.month:
        return None
    try:
        return d.replace(month=d.day, day=d.month)
    except ValueError:
        return None


def _blocks(q: MatchQuery) -> list[Q]:
    first, second = names.key(q.first_surname), names.key(q.second_surname)
    given = names.key(names.significant_given_name(q.given_names))
    blocks: list[Q] = []
    if q.curp:
        blocks.append(Q(curp=q.curp.upper()))
    dates = [d for d in (q.birth_date, _swapped(q.birth_date)) if d]
    surnames = [s for s in (first, second) if s]
    for d in dates:
        if surnames:
            blocks.append(Q(birth_date=d, key_first_surname__in=surnames))
        if given:
            blocks.append(Q(birth_date=d, key_given=given))
    if first and given:
        blocks.append(Q(key_first_surname=first, key_given=given))
    return blocks


def _score(q: MatchQuery, p: Person) -> tuple[float, list[str]]:
    reasons: list[str] = []
    if q.curp and p.curp and q.curp.upper() == p.curp:
        return 1.0, ["curp"]
    qf, qs = names.key(q.first_surname), names.key(q.second_surname)
    qg = names.key(names.significant_given_name(q.given_names))
    surname = max(
        JaroWinkler.similarity(qf, p.key_first_surname) if qf else 0.0,
        JaroWinkler.similarity(qf, p.key_second_surname) if qf and p.key_second_surname else 0.0,
    )
    second = JaroWinkler.similarity(qs, p.key_second_surname) if qs and p.key_second_surname else 0.5
    given = JaroWinkler.similarity(qg, p.key_given) if qg else 0.0
    if q.birth_date and p.birth_date:
        dob = (
            1.0 if q.birth_date == p.birth_date else (0.8 if _swapped(q.birth_date) == p.birth_date else 0.0)
        )
    else:
        dob = 0.5
    sex = 1.0 if q.sex and q.sex == p.sex else 0.0
    score = 0.3 * surname + 0.15 * second + 0.25 * given + 0.25 * dob + 0.05 * sex
    for label, value in (("surname", surname), ("given_name", given), ("birth_date", dob)):
        if value >= 0.95:
            reasons.append(label)
    return score, reasons


def person_match_candidates(
    query: MatchQuery, *, limit: int = 5, min_score: float = 0.75
) -> list[MatchCandidate]:
    """Live persons that may be the one described by `query`, best first (at most `limit`).

    Searches the whole history regardless of the user's scope: callers must show only the
    minimal identification the desk needs and audit the search.
    """
    seen: dict[int, Person] = {}
    for block in _blocks(query):
        for person in Person.objects.filter(block, merged_into__isnull=True)[:BLOCK_LIMIT]:
            seen.setdefault(person.pk, person)
    scored = []
    for person in seen.values():
        score, reasons = _score(query, person)
        if score >= min_score:
            band = "certain" if score >= 0.97 else ("probable" if score >= 0.88 else "possible")
            scored.append(MatchCandidate(person.pk, round(score, 3), band, tuple(reasons)))
    scored.sort(key=lambda c: -c.score)
    return scored[:limit]
