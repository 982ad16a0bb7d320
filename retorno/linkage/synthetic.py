"""Synthetic returnee events with ground truth, for tests and benchmarks of identity resolution.

Frequencies come from data files under data/linkage/ (surnames.csv, given_names.csv by sex,
birth_states.csv weighted like the returnee population); nicknames from the country's
nicknames.csv. Every event carries `true_person_id`, the person it really belongs to; the other
columns are the INPUT format of `retorno link`, typed with the corruptions a reception desk makes.
"""

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from unidecode import unidecode

from retorno.identity.names import nickname_map
from retorno.identity.national_ids.examples import example_number

INPUT_COLUMNS = [
    "event_id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_state",
    "curp",
]
TRUTH_COLUMN = "true_person_id"


@dataclass
class CorruptionRates:
    """Probability of each typing variation per event (independent draws)."""

    curp_present: float = 0.40
    accents_dropped: float = 0.50
    upper_case: float = 0.50
    typo: float = 0.04  # per name field
    second_surname_missing: float = 0.10
    surnames_swapped: float = 0.03
    # Given name and first surname in each other's field: US documents and forms put the family
    # name last, so "Adrián Hernández" comes back as first name Hernández, last name Adrián.
    given_surname_exchanged: float = 0.02
    compound_shortened: float = 0.30  # of compound given names
    nickname: float = 0.08
    day_month_swapped: float = 0.03
    birth_date_missing: float = 0.03
    birth_date_typo: float = 0.02
    birth_state_missing: float = 0.10


@dataclass
class TruePerson:
    person_id: int
    sex: str
    given_names: str
    first_surname: str
    second_surname: str
    birth_date: date
    birth_state: str
    curp: str = ""
    returns: int = 1
    extra: dict = field(default_factory=dict)


def _weighted(path: Path, value_col: str, *, where: tuple[str, str] | None = None):
    values, weights = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if where and row[where[0]] != where[1]:
                continue
            values.append(row[value_col])
            weights.append(float(row["weight"]))
    return values, weights


def _data_dir() -> Path:
    return Path(settings.DATA_DIR) / "linkage"


def curp_for(
    *, given_names: str, first_surname: str, second_surname: str, sex: str, birth_date: date, state: str
) -> str:
    """A valid 18-character CURP for these data: RENAPO's 16-character stem, the homonym
    character (0 before 2000, A from 2000) and stdnum's check digit."""
    return example_number(
        "mx.curp",
        serial=0,
        given=given_names,
        first=first_surname,
        second=second_surname,
        sex=sex,
        born=birth_date,
        division=state,
    )


class ReturneeGenerator:
    """Generates persons and their repatriation events reproducibly from a seed."""

    def __init__(self, *, seed: int = 1, rates: CorruptionRates | None = None):
        self.rnd = random.Random(seed)
        self.rates = rates or CorruptionRates()
        d = _data_dir()
        self.surnames = _weighted(d / "surnames.csv", "surname")
        self.given = {
            sex: _weighted(d / "given_names.csv", "given_names", where=("sex", sex)) for sex in "HM"
        }
        self.states = _weighted(d / "birth_states.csv", "state")
        # Formal name -> nicknames, for typing a person's name the way they give it.
        self.nicknames: dict[str, list[str]] = {}
        for nick, formals in nickname_map().items():
            for formal in formals:
                if " " not in formal and nick != formal:
                    self.nicknames.setdefault(formal, []).append(nick)

    def _pick(self, pair) -> str:
        return self.rnd.choices(pair[0], weights=pair[1])[0]

    def person(self, person_id: int) -> TruePerson:
        rnd = self.rnd
        sex = "H" if rnd.random() < 0.87 else "M"
        first = self._pick(self.surnames)
        second = self._pick(self.surnames) if rnd.random() > 0.03 else ""
        # Returnees: mostly adults 18-60, some minors.
        age_days = (
            int(rnd.uniform(10, 17.9) * 365.25) if rnd.random() < 0.08 else int(rnd.uniform(18, 62) * 365.25)
        )
        birth = date(2025, 6, 30) - timedelta(days=age_days)
        state = self._pick(self.states)
        given = self._pick(self.given[sex])
        curp = curp_for(
            given_names=given,
            first_surname=first,
            second_surname=second,
            sex=sex,
            birth_date=birth,
            state=state,
        )
        u = rnd.random()
        returns = 1 if u < 0.70 else (2 if u < 0.90 else rnd.randint(3, 8))
        return TruePerson(person_id, sex, given, first, second, birth, state, curp, returns)

    def _typo(self, text: str) -> str:
        if len(text) < 3:
            return text
        rnd = self.rnd
        i = rnd.randrange(1, len(text))
        op = rnd.random()
        letters = "ABCDEFGHIJLMNOPRSTUVZ"
        if op < 0.35:
            return text[:i] + rnd.choice(letters) + text[i + 1 :]
        if op < 0.65:
            return text[:i] + text[i + 1 :]
        if op < 0.85 and i < len(text) - 1:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text[:i] + rnd.choice(letters) + text[i:]

    def _given_as_typed(self, given: str) -> str:
        rnd, r = self.rnd, self.rates
        words = given.split()
        if len(words) > 1 and rnd.random() < r.compound_shortened:
            # "María Guadalupe" -> "Guadalupe"; "Juan Carlos" -> "Juan" or "Carlos".
            words = [words[-1]] if words[0] in ("María", "José") or rnd.random() < 0.5 else [words[0]]
        if rnd.random() < r.nickname:
            i = rnd.randrange(len(words))
            formal = unidecode(words[i]).upper()
            options = self.nicknames.get(formal)
            if options:
                nick = rnd.choice(options)
                words[i] = nick + "." if nick in ("MA", "J", "FCO") else nick.capitalize()
        return " ".join(words)

    def event(self, p: TruePerson) -> dict:
        rnd, r = self.rnd, self.rates
        given = self._given_as_typed(p.given_names)
        first, second = p.first_surname, p.second_surname
        if second and rnd.random() < r.second_surname_missing:
            second = ""
        if second and rnd.random() < r.surnames_swapped:
            first, second = second, first
        if first and rnd.random() < r.given_surname_exchanged:
            given, first = first, given
        fields = [given, first, second]
        for i in range(3):
            if fields[i] and rnd.random() < r.typo:
                fields[i] = self._typo(fields[i])
        if rnd.random() < r.accents_dropped:
            fields = [unidecode(f) for f in fields]
        if rnd.random() < r.upper_case:
            fields = [f.upper() for f in fields]
        birth: date | None = p.birth_date
        if rnd.random() < r.birth_date_missing:
            birth = None
        elif rnd.random() < r.day_month_swapped and birth.day <= 12 and birth.day != birth.month:
            birth = birth.replace(month=birth.day, day=birth.month)
        elif rnd.random() < r.birth_date_typo:
            try:
                birth = (
                    birth.replace(day=birth.day + rnd.choice((-1, 1)))
                    if rnd.random() < 0.5
                    else birth.replace(year=birth.year + rnd.choice((-1, 1)))
                )
            except ValueError:
                pass
        return {
            "given_names": fields[0],
            "first_surname": fields[1],
            "second_surname": fields[2],
            "sex": p.sex,
            "birth_date": birth.isoformat() if birth else "",
            "birth_state": "" if rnd.random() < r.birth_state_missing else p.birth_state,
            "curp": p.curp if rnd.random() < r.curp_present else "",
            TRUTH_COLUMN: p.person_id,
        }

    def events(self, n: int) -> list[dict]:
        """Exactly `n` events in random order, event_id E000001..., each with its truth column."""
        out: list[dict] = []
        pid = 0
        while len(out) < n:
            pid += 1
            p = self.person(pid)
            for _ in range(p.returns):
                out.append(self.event(p))
        del out[n:]
        self.rnd.shuffle(out)
        width = max(6, len(str(n)))
        for i, row in enumerate(out, 1):
            row["event_id"] = f"E{i:0{width}d}"
        return out


def write_events(rows: list[dict], path: Path) -> None:
    """Write events in the INPUT format of `retorno link` plus the truth column."""
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*INPUT_COLUMNS, TRUTH_COLUMN], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def generate_returnees(*, events: int, seed: int, out: Path, rates: CorruptionRates | None = None) -> int:
    """Generate `events` events with `seed` into the CSV `out`; return the number of true persons."""
    gen = ReturneeGenerator(seed=seed, rates=rates)
    rows = gen.events(events)
    write_events(rows, out)
    return len({r[TRUTH_COLUMN] for r in rows})
