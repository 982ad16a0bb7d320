"""National identity numbers, one scheme per country pack (country.yaml `national_id.scheme`).

Mexico's CURP is validated by python-stdnum; Guatemala's CUI, El Salvador's DUI and Honduras's DNI
are not in stdnum, so their validators live beside this file in stdnum's module style
(`compact`/`validate`/`is_valid`/`format`, doctests as test vectors) to be offered upstream.
The rest of Retorno sees only `NationalIdScheme`: validate, format, mask, and what the number
says about its holder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.mx import curp as mx_curp

from retorno.identity.national_ids import gt_cui, hn_dni, sv_dui
from retorno.reference.country import country_profile


class InvalidNationalId(ValueError):
    """The text is not a valid national id; `reason` is 'length', 'format', 'component' or
    'checksum'."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_REASONS = {
    "InvalidLength": "length",
    "InvalidFormat": "format",
    "InvalidComponent": "component",
    "InvalidChecksum": "checksum",
}


@dataclass(frozen=True)
class NationalIdFacts:
    """What a valid number tells about its holder (None where it tells nothing)."""

    birth_date: date | None = None
    sex: str = ""  # Retorno's sex code (H/M)
    division: str = ""  # first-level division code of birth or registration
    birth_year: int | None = None


def _curp_facts(number: str) -> NationalIdFacts:
    return NationalIdFacts(
        birth_date=mx_curp.get_birth_date(number), sex=number[10], division=number[11:13]
    )


def _cui_facts(number: str) -> NationalIdFacts:
    return NationalIdFacts(division=gt_cui.get_department(number))


def _dni_facts(number: str) -> NationalIdFacts:
    return NationalIdFacts(division=hn_dni.get_department(number), birth_year=hn_dni.get_year(number))


@dataclass(frozen=True)
class NationalIdScheme:
    code: str  # 'mx.curp'
    name: str  # as people call it: 'CURP', 'CUI', 'DUI', 'DNI'
    length: int  # compact length
    example: str  # a valid number in its printed form, for placeholders and docs
    module: ModuleType
    facts_of: Callable[[str], NationalIdFacts] | None = None  # compact number -> facts
    # Derivable from the person's data (CURP's first 16 characters): the desk can check agreement.
    derivable: bool = False

    def validate(self, value: str) -> str:
        """The number compacted and upper-cased, or InvalidNationalId."""
        try:
            return self.module.validate((value or "").upper())
        except StdnumError as exc:
            raise InvalidNationalId(_REASONS.get(type(exc).__name__, "format")) from exc

    def is_valid(self, value: str) -> bool:
        try:
            self.validate(value)
        except InvalidNationalId:
            return False
        return True

    def format(self, value: str) -> str:
        formatter = getattr(self.module, "format", None)
        return formatter(value) if formatter and self.is_valid(value) else value

    def mask(self, value: str) -> str:
        """All but the last four characters hidden (lists and other points' candidates)."""
        return "•" * max(len(value) - 4, 0) + value[-4:] if value else ""

    def facts(self, value: str) -> NationalIdFacts | None:
        """What a valid number says about its holder; None when the text is not valid."""
        try:
            number = self.validate(value)
        except InvalidNationalId:
            return None
        return self.facts_of(number) if self.facts_of else NationalIdFacts()


SCHEMES: dict[str, NationalIdScheme] = {
    scheme.code: scheme
    for scheme in (
        NationalIdScheme(
            "mx.curp", "CURP", 18, "BOXW310820HNERXN09", mx_curp, _curp_facts, derivable=True
        ),
        NationalIdScheme("gt.cui", "CUI", 13, "2976 07049 0101", gt_cui, _cui_facts),
        NationalIdScheme("sv.dui", "DUI", 9, "00016297-5", sv_dui),
        NationalIdScheme("hn.dni", "DNI", 13, "0801-1990-01234", hn_dni, _dni_facts),
    )
}


def scheme_for(code: str) -> NationalIdScheme:
    try:
        return SCHEMES[code]
    except KeyError:
        raise KeyError(f"unknown national id scheme '{code}' (known: {', '.join(SCHEMES)})") from None


def national_id_scheme() -> NationalIdScheme:
    """The deployment's scheme, from its country pack."""
    return scheme_for(str(country_profile().get("national_id", {}).get("scheme", "mx.curp")))
