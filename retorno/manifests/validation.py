"""Checking one manifest row: returns cleaned values and the problems found, column by column.

Problems are (column, code, params); the message text is looked up from the code when shown, so
a report is read in the language of whoever opens it, not of whoever uploaded the file.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.identity.national_ids import InvalidNationalId, national_id_scheme
from retorno.identity.national_ids.messages import national_id_invalid
from retorno.manifests.reading import Formula
from retorno.reference.country import country_code, country_profile
from retorno.reference.models import State

# Code -> message. Params are filled with "%".
MESSAGES = {
    "required": _("Dato obligatorio."),
    "surname_required": _("Escriba al menos un apellido."),
    "name_chars": _("Contiene caracteres que no son válidos en un nombre."),
    "too_long": _("Demasiado largo (máximo %(max)s caracteres)."),
    "formula": _("La celda contiene una fórmula de hoja de cálculo; escriba el valor."),
    "sex_invalid": _("Sexo no reconocido: use H (hombre) o M (mujer)."),
    "sex_ambiguous": _("«M» es ambiguo en un archivo que usa H y F; escriba «hombre» o «mujer»."),
    "date_invalid": _("Fecha no válida: use AAAA-MM-DD o DD/MM/AAAA."),
    "date_future": _("La fecha de nacimiento no puede ser futura."),
    "date_too_old": _("La fecha de nacimiento es anterior a 1900; revise el año."),
    "datetime_invalid": _("Fecha y hora no válidas: use AAAA-MM-DD HH:MM."),
    "state_unknown": _("Entidad desconocida: use la clave de dos letras de la CURP o el nombre."),
    "nationality_invalid": _("Nacionalidad no válida: use el código de dos letras (p. ej. MX)."),
    "duplicate_curp": _("CURP repetida: ya aparece en la línea %(line)s."),
    "duplicate_person": _(
        "Persona repetida (mismo nombre y fecha de nacimiento): ya aparece en la línea %(line)s."
    ),
}

# Codes "curp_<reason>" name the national id problem (the column keeps its historic name).
@dataclass(frozen=True)
class OwnNationality:
    code: str  # the pack's country code: MX, GT...
    names: tuple[str, ...]  # how manifests spell it (country.yaml nationality_names)


def own_nationality() -> OwnNationality:
    names = tuple(str(n).upper() for n in country_profile().get("nationality_names") or ())
    return OwnNationality(country_code(), names)


NATIONAL_ID_REASONS = ("length", "format", "component", "checksum")

NAME_MAX = {"given_names": 120, "first_surname": 80, "second_surname": 80}
NOTES_MAX = 500
# Letters (any alphabet), spaces, apostrophe, dot, hyphen: "O'Connor", "Ma. José", "De-la Cruz".
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '.\-][^\W\d_]*)*\.?$", re.UNICODE)
SEX_WORDS = {
    "h": "H",
    "hombre": "H",
    "masculino": "H",
    "male": "H",
    "varon": "H",
    "varón": "H",
    "mujer": "M",
    "femenino": "M",
    "female": "M",
    "f": "M",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M",
)


def message_for(code: str, params: dict | None = None) -> str:
    """The problem's text in the active language."""
    if code.startswith("curp_") and code[5:] in NATIONAL_ID_REASONS:
        return national_id_invalid(code[5:])
    text = str(MESSAGES.get(code, code))
    return text % params if params else text


@dataclass
class RowResult:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str, dict, str]] = field(default_factory=list)  # column, code, params, raw

    def add(self, column: str, code: str, raw: Any = "", **params) -> None:
        self.problems.append((column, code, params, str(raw or "")[:120]))


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return " ".join(str(raw).split())


def file_sex_convention(rows: list[dict]) -> str:
    """'es' (H/M, CURP letters) unless the file writes women as F, then 'en' (M/F: masculino,
    femenino). A file with M alone follows the country pack's `sex_letters` (Mexico: H/M; Central
    America: M/F, where M is a man)."""
    letters = {_text(r.get("sex")).lower() for r in rows}
    if {"f", "h"} <= letters:
        return "mixed"
    if "f" in letters:
        return "en"
    if "h" in letters:
        return "es"
    pack = [str(x).upper() for x in country_profile().get("sex_letters") or ("H", "M")]
    return "en" if pack == ["M", "F"] else "es"


def _date(raw: Any) -> date | None:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(raw)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _datetime(raw: Any) -> datetime:
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime.combine(raw, time(0, 0))
    else:
        text = _text(raw)
        for fmt in DATETIME_FORMATS:
            try:
                value = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            value = datetime.combine(_date(text), time(0, 0))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _state(raw: str, states: dict[str, State]) -> State | None:
    from retorno.manifests.reading import normalise_header

    return states.get(raw.upper()) or states.get("name:" + normalise_header(raw))


def state_index() -> dict[str, State]:
    from retorno.manifests.reading import normalise_header

    index = {}
    for state in State.objects.all():
        index[state.code.upper()] = state
        index["name:" + normalise_header(state.name)] = state
    return index


def validate_row(raw: dict[str, Any], *, states: dict[str, State], sex_convention: str = "es") -> RowResult:
    """Clean one row. Every problem is recorded; values of problem columns are left out."""
    result = RowResult()
    for column, value in raw.items():
        if isinstance(value, Formula) or (isinstance(value, str) and value.lstrip().startswith("=")):
            result.add(column, "formula", value)
    bad = {p[0] for p in result.problems}

    for name, limit in NAME_MAX.items():
        if name in bad:
            continue
        text = _text(raw.get(name))
        if text and len(text) > limit:
            result.add(name, "too_long", text, max=limit)
        elif text and not NAME_RE.match(text):
            result.add(name, "name_chars", text)
        else:
            result.values[name] = text
    if (
        "given_names" not in bad
        and not result.values.get("given_names")
        and "given_names" not in {p[0] for p in result.problems}
    ):
        result.add("given_names", "required")
    if not result.values.get("first_surname") and not result.values.get("second_surname"):
        if not any(p[0] in ("first_surname", "second_surname") for p in result.problems):
            column = "first_surname" if "first_surname" in raw else "second_surname"
            result.add(column, "surname_required")

    if "sex" not in bad:
        text = _text(raw.get("sex")).lower()
        if not text:
            result.add("sex", "required")
        elif text == "m":
            if sex_convention == "mixed":
                result.add("sex", "sex_ambiguous", raw.get("sex"))
            else:
                result.values["sex"] = "H" if sex_convention == "en" else "M"
        elif text in SEX_WORDS:
            result.values["sex"] = SEX_WORDS[text]
        else:
            result.add("sex", "sex_invalid", raw.get("sex"))

    if "birth_date" not in bad and _text(raw.get("birth_date")):
        try:
            born = _date(raw["birth_date"])
        except ValueError:
            result.add("birth_date", "date_invalid", raw["birth_date"])
        else:
            if born > timezone.localdate():
                result.add("birth_date", "date_future", raw["birth_date"])
            elif born.year < 1900:
                result.add("birth_date", "date_too_old", raw["birth_date"])
            else:
                result.values["birth_date"] = born

    text = _text(raw.get("birth_state"))
    if "birth_state" not in bad and text:
        state = _state(text, states)
        if state is None:
            result.add("birth_state", "state_unknown", text)
        else:
            result.values["birth_state"] = state

    text = _text(raw.get("nationality")).upper()
    if "nationality" not in bad:
        own = own_nationality()
        if text in ("", own.code, *own.names):
            result.values["nationality"] = own.code
        elif re.fullmatch(r"[A-Z]{2}", text):
            result.values["nationality"] = text
        else:
            result.add("nationality", "nationality_invalid", text)

    text = _text(raw.get("curp")).upper()
    if "curp" not in bad and text:
        try:
            result.values["curp"] = national_id_scheme().validate(text)
        except InvalidNationalId as exc:
            result.add("curp", f"curp_{exc.reason}", text)

    if "expected_at" not in bad and _text(raw.get("expected_at")):
        try:
            result.values["expected_at"] = _datetime(raw["expected_at"])
        except ValueError:
            result.add("expected_at", "datetime_invalid", raw["expected_at"])

    if "notes" not in bad:
        notes = str(raw.get("notes") or "").strip()
        if len(notes) > NOTES_MAX:
            result.add("notes", "too_long", notes, max=NOTES_MAX)
        else:
            result.values["notes"] = notes
    return result
