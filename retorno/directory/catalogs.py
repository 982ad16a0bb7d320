"""Labels of the country's code lists (needs, vulnerability flags, states, documents) for display.

Needs and flags are data files of the country profile (data/reference/<country>/needs.csv,
vulnerability_flags.csv) with a Spanish `name` and an English `name_en`; they are read once.
"""

from functools import lru_cache

from django.conf import settings
from django.utils.translation import get_language

from retorno.core.reference_loading import pack_file, read_csv


@lru_cache(maxsize=8)
def _read(filename: str, country: str) -> dict[str, tuple[str, str]]:
    path = pack_file(settings.DATA_DIR / "reference" / country, filename)
    if not path.exists():
        return {}
    return {r["code"]: (r.get("name", r["code"]), r.get("name_en") or r.get("name", "")) for r in read_csv(path)}


@lru_cache(maxsize=32)
def _labels(filename: str, country: str, english: bool) -> dict[str, str]:
    return {code: (en if english and en else es) for code, (es, en) in _read(filename, country).items()}


def _label(filename: str, code: str) -> str:
    english = (get_language() or "es").startswith("en")
    return _labels(filename, settings.RETORNO_COUNTRY, english).get(code, code)


def need_label(code: str) -> str:
    return _label("needs.csv", code)


def flag_label(code: str) -> str:
    return _label("vulnerability_flags.csv", code)


def document_label(code: str) -> str:
    return _label("document_types.csv", code)


def need_codes() -> list[str]:
    return list(_read("needs.csv", settings.RETORNO_COUNTRY))


def flag_codes() -> list[str]:
    return list(_read("vulnerability_flags.csv", settings.RETORNO_COUNTRY))


def document_codes() -> list[str]:
    return list(_read("document_types.csv", settings.RETORNO_COUNTRY))


@lru_cache(maxsize=1)
def _states() -> dict[str, tuple[str, str]]:
    from retorno.reference.models import State

    return {code: (name, name_en) for code, name, name_en in State.objects.values_list("code", "name", "name_en")}


def state_label(code: str) -> str:
    from retorno.reference.models import in_language

    names = _states().get(code)
    if names is None:
        _states.cache_clear()
        names = _states().get(code, (code, ""))
    return in_language(*names)
