"""CURP validation (python-stdnum) and computation of its first 16 characters.

python-stdnum validates a CURP (structure, state code, check digit) but does not derive one from a
person's data; RENAPO's derivation rules are written here, following the Instructivo Normativo
para la Asignación de la CURP. The 17th character (homonym differentiator) is assigned by RENAPO and
cannot be computed, so a typed CURP is compared on its first 16 characters.
"""

from dataclasses import dataclass
from datetime import date

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import curp as stdnum_curp

from retorno.identity.names import normalize, significant_given_name, significant_words

VOWELS = "AEIOU"
# RENAPO's list of inconvenient words: when the first four letters spell one, the second becomes X.
INCONVENIENT_WORDS = frozenset(getattr(stdnum_curp, "_name_blacklist", ()))


class InvalidCurp(ValueError):
    """The text is not a valid CURP; `reason` is a short machine code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def curp_validate(value: str) -> str:
    """Return the CURP compacted and upper-cased, or raise InvalidCurp.

    Reasons: 'length', 'format', 'component' (date, sex, state or word), 'checksum'.
    """
    try:
        return stdnum_curp.validate(value)
    except StdnumError as exc:
        name = type(exc).__name__
        reason = {
            "InvalidLength": "length",
            "InvalidFormat": "format",
            "InvalidComponent": "component",
            "InvalidChecksum": "checksum",
        }.get(name, "format")
        raise InvalidCurp(reason) from exc


def _letter(word: str) -> str:
    if not word:
        return "X"
    first = word[0]
    return "X" if first == "Ñ" or not first.isalpha() else first


def _first_internal(word: str, *, vowels: bool) -> str:
    """First vowel (or consonant) after the first letter; X when there is none. Ñ counts as X."""
    for ch in word[1:]:
        if vowels and ch in VOWELS:
            return ch
        if not vowels and ch.isalpha() and ch not in VOWELS:
            return "X" if ch == "Ñ" else ch
    return "X"


def _surname_word(surname: str) -> str:
    words = significant_words(surname)
    return words[0] if words else ""


@dataclass(frozen=True)
class CurpStemInput:
    given_names: str
    first_surname: str
    second_surname: str
    sex: str  # 'H' or 'M'
    birth_date: date
    birth_state: str  # two-letter CURP state code, 'NE' born abroad


def curp_stem(data: CurpStemInput) -> str:
    """The first 16 characters of the CURP RENAPO would assign to these data.

    With no first surname, the second takes its place and 'X' fills the second surname position.
    """
    first = _surname_word(data.first_surname)
    second = _surname_word(data.second_surname)
    if not first and second:
        first, second = second, ""
    given = significant_given_name(data.given_names)

    head = _letter(first) + _first_internal(first, vowels=True) + _letter(second) + _letter(given)
    if head in INCONVENIENT_WORDS:
        head = head[0] + "X" + head[2:]
    consonants = (
        _first_internal(first, vowels=False)
        + _first_internal(second, vowels=False)
        + _first_internal(given, vowels=False)
    )
    return (
        head
        + data.birth_date.strftime("%y%m%d")
        + (data.sex or "X")[0].upper()
        + (data.birth_state or "NE").upper()
        + consonants
    )


def curp_disagreements(curp: str, data: CurpStemInput) -> list[str]:
    """Which parts of a typed CURP disagree with the person's data: a subset of
    ['names', 'birth_date', 'sex', 'birth_state']. Empty when they agree."""
    expected = curp_stem(data)
    curp = curp.upper()
    problems = []
    if curp[0:4] != expected[0:4] or curp[13:16] != expected[13:16]:
        problems.append("names")
    if curp[4:10] != expected[4:10]:
        problems.append("birth_date")
    if curp[10] != expected[10]:
        problems.append("sex")
    if curp[11:13] != expected[11:13]:
        problems.append("birth_state")
    # The century digit of position 17 must agree with the birth year as well.
    if data.birth_date and "birth_date" not in problems:
        born_2000 = data.birth_date.year >= 2000
        if curp[16].isdigit() == born_2000:
            problems.append("birth_date")
    return problems


__all__ = [
    "CurpStemInput",
    "InvalidCurp",
    "curp_disagreements",
    "curp_stem",
    "curp_validate",
    "normalize",
]
