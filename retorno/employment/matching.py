"""Matching returnees and vacancies, with the reasons: pure functions over plain facts.

`explain(profile, vacancy, today)` scores one pair and says why it fits and what keeps it from
fitting. `VacancyIndex` holds every vacancy as numpy columns so that one person is scored against
tens of thousands of vacancies in about a millisecond; it gives the same integer score and the
same verdict as `explain` (tests/test_matching.py checks it on random pairs), and only the rows
shown are explained. No library does job matching with reasons (the peers have no such module),
so the rule set is written here; it is deliberately simple and readable:

    occupation: same occupation +40, same trade family +25
    skills:     +20 x share of the vacancy's skills the person has (floor)
    English:    required level met +10 (when any is required); not met: blocks
    education:  met +5; not met: blocks
    experience: fewer years than asked -10 (does not block)
    place:      same municipality +25, same state +15; another state blocks unless the person
                accepts moving; no preferred place: 0
    expired or closed vacancy: blocks
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.utils.translation import gettext as _

from retorno.employment.models import EDUCATION_RANK, ENGLISH_RANK

W_OCCUPATION, W_TRADE, W_SKILLS, W_ENGLISH, W_EDUCATION, W_EXPERIENCE = 40, 25, 20, 10, 5, 10
W_MUNICIPALITY, W_STATE = 25, 15


def place_key(text: str | None) -> str:
    """A municipality name compared without case, accents or extra spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def skill_key(text: str) -> str:
    return place_key(text)


@dataclass(frozen=True)
class ProfileFacts:
    trade: str = ""
    occupation: str = ""  # occupation code
    skills: frozenset[str] = frozenset()  # skill_key'd
    english: str = "none"
    education: str = "none"
    experience_years: int = 0
    state: str = ""  # preferred state code, "" = anywhere
    municipality: str = ""  # place_key'd
    willing_to_relocate: bool = False


@dataclass(frozen=True)
class VacancyFacts:
    id: int
    occupation: str
    trade: str
    skills: frozenset[str]
    english: str
    education: str
    experience_years: int
    state: str
    municipality: str  # place_key'd
    valid_through: date
    open: bool = True
    state_name: str = ""
    municipality_name: str = ""


@dataclass
class Match:
    vacancy_id: int
    score: int
    fits: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.blockers


def _level(labels: dict, value: str) -> str:
    return str(labels.get(value, value))


def explain(p: ProfileFacts, v: VacancyFacts, today: date) -> Match:
    """Score and reasons for one person and one vacancy."""
    from retorno.employment.models import Education, EnglishLevel

    m = Match(v.id, 0)
    if p.occupation and p.occupation == v.occupation:
        m.score += W_OCCUPATION
        m.fits.append(_("Misma ocupación"))
    elif p.trade and p.trade == v.trade:
        m.score += W_TRADE
        m.fits.append(_("Mismo oficio"))
    if v.skills:
        have = len(v.skills & p.skills)
        m.score += W_SKILLS * have // len(v.skills)
        if have:
            m.fits.append(_("Tiene %(n)s de %(of)s habilidades pedidas") % {"n": have, "of": len(v.skills)})
    english = dict(EnglishLevel.choices)
    if ENGLISH_RANK[v.english] > ENGLISH_RANK[p.english]:
        m.blockers.append(
            _("Pide inglés %(asked)s; la persona: %(has)s")
            % {"asked": _level(english, v.english), "has": _level(english, p.english)}
        )
    elif ENGLISH_RANK[v.english] > 0:
        m.score += W_ENGLISH
        m.fits.append(_("Cumple el inglés pedido (%(level)s)") % {"level": _level(english, v.english)})
    education = dict(Education.choices)
    if EDUCATION_RANK[v.education] > EDUCATION_RANK[p.education]:
        m.blockers.append(_("Pide estudios de %(level)s") % {"level": _level(education, v.education)})
    else:
        m.score += W_EDUCATION
    if v.experience_years > p.experience_years:
        m.score -= W_EXPERIENCE
        m.fits.append(
            _("Pide %(n)s años de experiencia (tiene %(has)s)")
            % {"n": v.experience_years, "has": p.experience_years}
        )
    if p.state:
        if p.state == v.state and p.municipality and p.municipality == v.municipality:
            m.score += W_MUNICIPALITY
            m.fits.append(_("En el municipio donde quiere trabajar"))
        elif p.state == v.state:
            m.score += W_STATE
            m.fits.append(_("En la entidad donde quiere trabajar"))
        elif p.willing_to_relocate:
            m.fits.append(_("En otra entidad (acepta cambiar de entidad)"))
        else:
            m.blockers.append(_("Lejos: en otra entidad (%(state)s)") % {"state": v.state_name or v.state})
    if not v.open:
        m.blockers.append(_("Vacante cerrada"))
    elif v.valid_through < today:
        m.blockers.append(_("Vencida el %(date)s") % {"date": v.valid_through.isoformat()})
    m.score = max(m.score, 0)
    return m


class VacancyIndex:
    """Every vacancy as numpy columns, for scoring one person against all of them at once."""

    def __init__(self, vacancies: Sequence[VacancyFacts]):
        self.vacancies = list(vacancies)
        codes: dict[str, int] = {"": 0}

        def code(value: str) -> int:
            return codes.setdefault(value, len(codes)) if value else 0

        self._codes = codes
        vocabulary: dict[str, int] = {}
        for v in self.vacancies:
            for s in v.skills:
                vocabulary.setdefault(s, len(vocabulary))
        self._vocabulary = vocabulary
        words = max(1, (len(vocabulary) + 63) // 64)
        n = len(self.vacancies)
        self.ids = np.array([v.id for v in self.vacancies], dtype=np.int64)
        self.occupation = np.array([code("o:" + v.occupation) for v in self.vacancies], dtype=np.int32)
        self.trade = np.array([code("t:" + v.trade) for v in self.vacancies], dtype=np.int32)
        self.english = np.array([ENGLISH_RANK[v.english] for v in self.vacancies], dtype=np.int8)
        self.education = np.array([EDUCATION_RANK[v.education] for v in self.vacancies], dtype=np.int8)
        self.experience = np.array([v.experience_years for v in self.vacancies], dtype=np.int16)
        self.state = np.array([code("s:" + v.state) for v in self.vacancies], dtype=np.int32)
        self.municipality = np.array(
            [code("m:" + v.state + "/" + v.municipality) for v in self.vacancies], dtype=np.int32
        )
        self.valid_through = np.array([v.valid_through.toordinal() for v in self.vacancies], dtype=np.int32)
        self.open = np.array([v.open for v in self.vacancies], dtype=bool)
        self.skill_count = np.array([len(v.skills) for v in self.vacancies], dtype=np.int16)
        self.skill_bits = np.zeros((n, words), dtype=np.uint64)
        for row, v in enumerate(self.vacancies):
            for s in v.skills:
                bit = vocabulary[s]
                self.skill_bits[row, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)

    def __len__(self) -> int:
        return len(self.vacancies)

    def _lookup(self, key: str) -> int:
        return self._codes.get(key, -1)  # -1: no vacancy has it

    def scores(self, p: ProfileFacts, today: date) -> tuple[np.ndarray, np.ndarray]:
        """(score, blocked) per vacancy, exactly as `explain` would give them."""
        score = np.zeros(len(self), dtype=np.int32)
        same_occupation = self.occupation == self._lookup("o:" + p.occupation) if p.occupation else False
        same_trade = self.trade == self._lookup("t:" + p.trade) if p.trade else False
        score += np.where(same_occupation, W_OCCUPATION, np.where(same_trade, W_TRADE, 0)).astype(np.int32)
        mine = np.zeros(self.skill_bits.shape[1], dtype=np.uint64)
        for s in p.skills:
            bit = self._vocabulary.get(s)
            if bit is not None:
                mine[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
        overlap = np.bitwise_count(self.skill_bits & mine).sum(axis=1, dtype=np.int32)
        score += np.where(
            self.skill_count > 0, W_SKILLS * overlap // np.maximum(self.skill_count, 1), 0
        ).astype(np.int32)
        english_short = self.english > ENGLISH_RANK[p.english]
        score += np.where(~english_short & (self.english > 0), W_ENGLISH, 0).astype(np.int32)
        education_short = self.education > EDUCATION_RANK[p.education]
        score += np.where(education_short, 0, W_EDUCATION).astype(np.int32)
        score -= np.where(self.experience > p.experience_years, W_EXPERIENCE, 0).astype(np.int32)
        far = np.zeros(len(self), dtype=bool)
        if p.state:
            same_state = self.state == self._lookup("s:" + p.state)
            same_place = (
                same_state & (self.municipality == self._lookup("m:" + p.state + "/" + p.municipality))
                if p.municipality
                else np.zeros(len(self), dtype=bool)
            )
            score += np.where(same_place, W_MUNICIPALITY, np.where(same_state, W_STATE, 0)).astype(np.int32)
            far = ~same_state & (not p.willing_to_relocate)
        expired = ~self.open | (self.valid_through < today.toordinal())
        blocked = english_short | education_short | far | expired
        return np.maximum(score, 0), blocked

    def rank(
        self, p: ProfileFacts, today: date, *, fits: int = 10, not_fitting: int = 5
    ) -> tuple[list[Match], list[Match]]:
        """The best `fits` vacancies the person may apply to, and the `not_fitting` best-scored
        ones they may not, each explained."""
        if not len(self):
            return [], []
        score, blocked = self.scores(p, today)
        order = np.lexsort((self.ids, -score))  # best first, ties by id (stable answers)
        good = order[~blocked[order]][:fits]
        bad = order[blocked[order]][:not_fitting]
        return (
            [explain(p, self.vacancies[i], today) for i in good],
            [explain(p, self.vacancies[i], today) for i in bad],
        )


def rank_profiles(
    profiles: Iterable[tuple[int, ProfileFacts]], v: VacancyFacts, today: date, *, limit: int = 50
) -> list[tuple[int, Match]]:
    """(person id, match) of the persons who may apply to `v`, best first."""
    found = [(pid, explain(p, v, today)) for pid, p in profiles]
    found = [(pid, m) for pid, m in found if m.eligible]
    found.sort(key=lambda pm: (-pm[1].score, pm[0]))
    return found[:limit]
