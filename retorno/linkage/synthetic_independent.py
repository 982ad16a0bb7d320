"""A second synthetic generator of returnee events, written apart from `synthetic.py` so that
the linkage model can be trained on one and judged on the other (issue 10: a model tuned to one
generator scored F1 0.975 on it and 0.89 on independently made data).

What differs from the first generator, on purpose:
- Names: its own lists (data/linkage/independent/), weighted by rank (Zipf, exponent 0.85) with
  invented rare surnames for a long tail, given names by birth cohort, English given names for
  some US-born children, and its own short nickname table.
- Population structure: households of siblings who share both surnames (twins among them),
  namesakes who copy a common name and birth year, a heavier tail of returns per person.
- Corruption: errors cluster by desk (a "hurried" event has three times the rates), Spanish
  spelling confusions (B/V, S/Z/C, Y/LL, G/J, a dropped H) besides keyboard slips, both surnames
  typed into the first field, given and surname fields exchanged, birth dates defaulted to
  1 January, a year or a day off by one, sex mis-keyed (0.8%), a wrong birth state, a CURP typo.
  Rates sit in the ranges reported for administrative data (birth-date errors of a few percent,
  sex mis-keyed in 0.5-1% of records, name misspellings of 2-5% per field); they are parameters,
  not measurements of Mexican desks.

The output columns are the first generator's (INPUT_COLUMNS + true_person_id).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from unidecode import unidecode

from retorno.core.reference_loading import read_csv
from retorno.identity.national_ids.examples import example_number
from retorno.linkage.synthetic import INPUT_COLUMNS, TRUTH_COLUMN, write_events
from retorno.reference.country import country_profile
from retorno.reference.demo_pack import demo_pack

__all__ = ["INPUT_COLUMNS", "IndependentRates", "IndependentGenerator", "generate_independent"]

STATES = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS"
).split()
# Returnees come mostly from the centre-west and south (weights by state code, this generator's own).
STATE_WEIGHTS = {
    "MN": 9,
    "GT": 8,
    "JC": 8,
    "GR": 7,
    "OC": 7,
    "PL": 6,
    "VZ": 5,
    "CS": 5,
    "MC": 5,
    "ZS": 4,
    "SP": 3,
}

NICKNAMES = {
    "JOSE": ["Pepe", "Chepe"],
    "JESUS": ["Chuy", "Chucho"],
    "FRANCISCO": ["Paco", "Pancho"],
    "GUADALUPE": ["Lupe", "Lupita"],
    "ANTONIO": ["Toño", "Tony"],
    "EDUARDO": ["Lalo"],
    "ROBERTO": ["Beto"],
    "RAFAEL": ["Rafa"],
    "ENRIQUE": ["Quique"],
    "MIGUEL": ["Mike"],
    "LETICIA": ["Lety"],
    "PATRICIA": ["Paty"],
    "VERONICA": ["Vero"],
    "GABRIELA": ["Gaby"],
    "ALEJANDRO": ["Alex"],
    "DANIEL": ["Danny"],
    "MICHAEL": ["Mike"],
    "CHRISTOPHER": ["Chris"],
    "JENNIFER": ["Jenny"],
}
ABBREVIATIONS = {"MARIA": "Ma.", "JOSE": "J."}
# Spanish spelling confusions a clerk makes from what is heard.
SOUNDS_ALIKE = [
    ("V", "B"),
    ("B", "V"),
    ("Z", "S"),
    ("S", "Z"),
    ("C", "S"),
    ("LL", "Y"),
    ("Y", "LL"),
    ("J", "G"),
    ("G", "J"),
    ("I", "Y"),
]
KEYBOARD = "QWERTYUIOPASDFGHJKLÑZXCVBNM"
SYLLABLES_START = [
    "Ar",
    "Bel",
    "Cas",
    "Del",
    "Es",
    "Gal",
    "Ir",
    "La",
    "Mon",
    "Ol",
    "Pal",
    "Qui",
    "San",
    "Tel",
    "Ur",
    "Val",
    "Xo",
    "Za",
]
SYLLABLES_MID = ["ar", "be", "ci", "do", "ga", "li", "ma", "ne", "ra", "te", "va", "chi", "hua"]
SYLLABLES_END = ["ez", "ado", "ero", "ino", "tegui", "ales", "illo", "ón", "co", "tl", "ana"]


@dataclass
class IndependentRates:
    curp_present: float = 0.35
    curp_typo: float = 0.02
    accents_dropped: float = 0.6
    hurried_event: float = 0.2  # such an event has three times the error rates below
    name_typo: float = 0.03  # per name field
    sounds_alike: float = 0.02  # per name field
    second_surname_missing: float = 0.12
    surnames_swapped: float = 0.04
    surnames_in_first_field: float = 0.04
    given_and_surname_exchanged: float = 0.01
    compound_shortened: float = 0.35
    nickname: float = 0.05
    birth_date_missing: float = 0.06
    year_off_by_one: float = 0.03
    day_off: float = 0.02
    day_month_swapped: float = 0.03
    first_of_january: float = 0.015
    sex_miskeyed: float = 0.008
    birth_state_missing: float = 0.15
    birth_state_wrong: float = 0.03
    # Central American married names: a married woman may be recorded "López de García" (her
    # second surname replaced by her husband's after "de") on some events and not on others.
    married_name: float = 0.0  # share of adult women with a married name (0 in Mexico's data)
    married_name_used: float = 0.5  # of their events, the share that record it


@dataclass
class Person:
    person_id: int
    sex: str
    given_names: str
    first_surname: str
    second_surname: str
    birth_date: date
    birth_state: str
    curp: str
    returns: int
    married_surname: str = ""  # the husband's surname, for "de <surname>"


def _data_dir(country: str = "mx") -> Path:
    base = Path(settings.DATA_DIR) / "linkage" / "independent"
    return base if country == "mx" else base / country


def _pack_divisions(country: str) -> tuple[list[str], dict[str, float]]:
    """A country pack's domestic divisions and the demo's origin shares (demo.yaml)."""
    pack = Path(settings.DATA_DIR) / "reference" / country
    codes = [r["code"] for r in read_csv(pack / "states.csv") if str(r.get("is_foreign", "0")) != "1"]
    origins = (demo_pack(country).get("statistics") or {}).get("origins") or {}
    return codes, {str(k): float(v) for k, v in origins.items()}


class IndependentGenerator:
    def __init__(self, *, seed: int = 1, rates: IndependentRates | None = None, country: str = "mx"):
        """`country` other than mx: that pack's divisions and national id scheme, and the name
        lists of data/linkage/independent/<country>/."""
        self.rnd = random.Random(seed * 7919 + 17)
        # Married names ("de García") are Central American usage, not Mexican.
        self.rates = rates or IndependentRates(married_name=0.0 if country == "mx" else 0.25)
        self.country = country
        if country == "mx":
            self.states, division_weights = STATES, STATE_WEIGHTS
        else:
            self.states, division_weights = _pack_divisions(country)
        self.scheme = str((country_profile(country).get("national_id") or {}).get("scheme", "mx.curp"))
        lines = (_data_dir(country) / "surnames.txt").read_text(encoding="utf-8").splitlines()
        self.surnames = [s for s in (ln.strip() for ln in lines) if s and not s.startswith("#")]
        self.surname_weights = [1 / (r + 1) ** 0.85 for r in range(len(self.surnames))]
        self.given: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
        lines = (_data_dir(country) / "given_names.csv").read_text(encoding="utf-8").splitlines()
        for line in [ln for ln in lines if ln and not ln.startswith("#")][1:]:  # after the header
            sex, cohort, name, weight = line.split(",")
            names, weights = self.given.setdefault((sex, cohort), ([], []))
            names.append(name)
            weights.append(float(weight))
        self.state_weights = [division_weights.get(s, 1.5) for s in self.states]
        self.people: list[Person] = []

    # --- persons --------------------------------------------------------------------------

    def _surname(self) -> str:
        rnd = self.rnd
        if rnd.random() < 0.12:  # the long tail: a surname nobody else in the file may carry
            middle = "".join(rnd.choice(SYLLABLES_MID) for _ in range(rnd.randint(0, 2)))
            return rnd.choice(SYLLABLES_START) + middle + rnd.choice(SYLLABLES_END)
        return rnd.choices(self.surnames, weights=self.surname_weights)[0]

    def _given(self, sex: str, birth: date) -> str:
        rnd = self.rnd
        if birth.year >= 1998 and rnd.random() < 0.25:
            cohort = "us"
        else:
            cohort = "old" if birth.year < 1975 else ("mid" if birth.year < 1995 else "young")
        names, weights = self.given[(sex, cohort)]
        return rnd.choices(names, weights=weights)[0]

    def _birth(self) -> date:
        rnd = self.rnd
        years = rnd.uniform(6, 17.9) if rnd.random() < 0.09 else rnd.triangular(18, 66, 27)
        return date(2026, 3, 1) - timedelta(days=int(years * 365.25))

    def _returns(self) -> int:
        u = self.rnd.random()
        if u < 0.62:
            return 1
        if u < 0.82:
            return 2
        if u < 0.91:
            return 3
        return min(12, 4 + int(self.rnd.expovariate(0.5)))

    def _make(self, sex: str, given: str, first: str, second: str, birth: date, state: str) -> Person:
        curp = example_number(
            self.scheme,
            serial=(len(self.people) * 7919 + 12_345_678) % 10**8,  # a CURP ignores it
            given=given,
            first=first,
            second=second,
            sex=sex,
            born=birth,
            division=state,
        )
        p = Person(len(self.people) + 1, sex, given, first, second, birth, state, curp, self._returns())
        if sex == "M" and birth.year < 2004 and self.rnd.random() < self.rates.married_name:
            p.married_surname = self._surname()
        self.people.append(p)
        return p

    def household(self) -> None:
        """One to four siblings sharing both surnames and usually the birth state; twins sometimes;
        now and then a namesake of an earlier person (same names and birth year, another day)."""
        rnd = self.rnd
        if self.people and rnd.random() < 0.01:
            other = rnd.choice(self.people)
            birth = other.birth_date.replace(month=rnd.randint(1, 12), day=rnd.randint(1, 28))
            self._make(
                other.sex, other.given_names, other.first_surname, other.second_surname, birth, self._state()
            )
            return
        first = self._surname()
        second = self._surname() if rnd.random() > 0.02 else ""
        state = self._state()
        size = rnd.choices([1, 2, 3, 4], weights=[70, 18, 8, 4])[0]
        birth = self._birth()
        for i in range(size):
            sex = "H" if rnd.random() < 0.85 else "M"
            if i and rnd.random() < 0.06:
                pass  # a twin: same birth date as the previous sibling
            elif i:
                birth = birth + timedelta(days=rnd.choice((-1, 1)) * rnd.randint(300, 3000))
                birth = min(birth, date(2020, 1, 1))
            given = self._given(sex, birth)
            self._make(sex, given, first, second, birth, state if rnd.random() < 0.9 else self._state())

    def _state(self) -> str:
        return self.rnd.choices(self.states, weights=self.state_weights)[0]

    # --- events ---------------------------------------------------------------------------

    def _typo(self, text: str) -> str:
        rnd = self.rnd
        if len(text) < 2:
            return text
        i = rnd.randrange(len(text))
        op = rnd.random()
        if op < 0.3:
            return text[:i] + rnd.choice(KEYBOARD) + text[i + 1 :]
        if op < 0.6:
            return text[:i] + text[i + 1 :]
        if op < 0.8 and i < len(text) - 1:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text[:i] + rnd.choice(KEYBOARD) + text[i:]

    def _sound(self, text: str) -> str:
        upper = text.upper()
        options = [(a, b) for a, b in SOUNDS_ALIKE if a in upper]
        if upper.startswith("H"):
            return text[1:]
        if not options:
            return text
        a, b = self.rnd.choice(options)
        at = upper.index(a)
        return text[:at] + (b if text[at].isupper() else b.lower()) + text[at + len(a) :]

    def _given_as_said(self, given: str, m: float) -> str:
        rnd, r = self.rnd, self.rates
        words = given.split()
        if len(words) > 1 and rnd.random() < r.compound_shortened:
            plain = unidecode(words[0]).upper()
            words = [words[-1]] if (plain in ("MARIA", "JOSE") and rnd.random() < 0.6) else [words[0]]
        if rnd.random() < r.nickname * m:
            i = rnd.randrange(len(words))
            plain = unidecode(words[i]).upper()
            if plain in ABBREVIATIONS and len(words) > 1:
                words[i] = ABBREVIATIONS[plain]
            elif plain in NICKNAMES:
                words[i] = rnd.choice(NICKNAMES[plain])
        return " ".join(words)

    def event(self, p: Person) -> dict:
        rnd, r = self.rnd, self.rates
        m = 3.0 if rnd.random() < r.hurried_event else 1.0
        given = self._given_as_said(p.given_names, m)
        first, second = p.first_surname, p.second_surname
        if p.married_surname and rnd.random() < r.married_name_used:
            second = f"de {p.married_surname}"
        if second and rnd.random() < r.surnames_in_first_field * m:
            first, second = f"{first} {second}", ""
        if second and rnd.random() < r.second_surname_missing * m:
            second = ""
        if second and rnd.random() < r.surnames_swapped * m:
            first, second = second, first
        fields = [given, first, second]
        for i in range(3):
            if fields[i] and rnd.random() < r.sounds_alike * m:
                fields[i] = self._sound(fields[i])
            if fields[i] and rnd.random() < r.name_typo * m:
                fields[i] = self._typo(fields[i])
        if rnd.random() < r.given_and_surname_exchanged * m:
            fields[0], fields[1] = fields[1], fields[0]
        if rnd.random() < r.accents_dropped:
            fields = [unidecode(f) for f in fields]
        case = rnd.random()
        fields = [f.upper() if case < 0.55 else (f.lower() if case < 0.6 else f) for f in fields]
        sex = p.sex
        if rnd.random() < r.sex_miskeyed * m:
            sex = "M" if sex == "H" else "H"
        state = p.birth_state
        if rnd.random() < r.birth_state_missing:
            state = ""
        elif rnd.random() < r.birth_state_wrong * m:
            state = self._state()
        curp = p.curp if rnd.random() < r.curp_present else ""
        if curp and rnd.random() < r.curp_typo * m:
            i = rnd.randrange(len(curp))
            curp = curp[:i] + rnd.choice(KEYBOARD) + curp[i + 1 :]
        return {
            "given_names": fields[0],
            "first_surname": fields[1],
            "second_surname": fields[2],
            "sex": sex,
            "birth_date": self._birth_as_typed(p.birth_date, m),
            "birth_state": state,
            "curp": curp,
            TRUTH_COLUMN: p.person_id,
        }

    def _birth_as_typed(self, birth: date, m: float) -> str:
        rnd, r = self.rnd, self.rates
        if rnd.random() < r.birth_date_missing * m:
            return ""
        d = birth
        try:
            if rnd.random() < r.first_of_january * m:
                d = d.replace(month=1, day=1)
            if rnd.random() < r.year_off_by_one * m:
                d = d.replace(year=d.year + rnd.choice((-1, 1)))
            if rnd.random() < r.day_off * m:
                d = d.replace(day=d.day + rnd.choice((-1, 1, 10, -10)))
            if rnd.random() < r.day_month_swapped * m and d.day <= 12:
                d = d.replace(month=d.day, day=d.month)
        except ValueError:
            pass
        return d.isoformat()

    def events(self, n: int) -> list[dict]:
        out: list[dict] = []
        done = 0
        while len(out) < n:
            self.household()
            for p in self.people[done:]:
                out.extend(self.event(p) for _ in range(p.returns))
            done = len(self.people)
        del out[n:]
        self.rnd.shuffle(out)
        width = max(6, len(str(n)))
        for i, row in enumerate(out, 1):
            row["event_id"] = f"X{i:0{width}d}"
        return out


def generate_independent(
    *, events: int, seed: int, out: Path, rates: IndependentRates | None = None, country: str = "mx"
) -> int:
    """Write `events` events of the independent generator to `out`; return the number of persons."""
    rows = IndependentGenerator(seed=seed, rates=rates, country=country).events(events)
    write_events(rows, out)
    return len({r[TRUTH_COLUMN] for r in rows})
