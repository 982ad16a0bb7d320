"""The deployment's country profile (data/reference/<country>/country.yaml)."""

from functools import cache
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import get_language


@cache
def country_profile(code: str | None = None) -> dict[str, Any]:
    """The deployment's country.yaml, or pack `code`'s (the test-data generators read others)."""
    path = settings.DATA_DIR / "reference" / (code or settings.RETORNO_COUNTRY) / "country.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def country_code() -> str:
    """The deployment's two-letter country code: MX, GT..."""
    return str(country_profile().get("code", "")).upper()


def country_label(key: str, default: str) -> str:
    """A label the country pack words its own way (`labels:` in country.yaml: 'Departamento de
    nacimiento' where Mexico says 'Entidad de nacimiento'), in the active language; `default`
    (a translated msgid, Mexico's wording) when the pack says nothing. The pack's labels are data
    with their translations beside them, like the names of reference rows."""
    label = (country_profile().get("labels") or {}).get(key)
    if not label:
        return str(default)
    if isinstance(label, str):
        return label
    english = (get_language() or "es").startswith("en")
    return str(label.get("en") if english and label.get("en") else label.get("es", default))


def national_id_name() -> str:
    """What people call the national id: CURP, CUI, DUI, DNI."""
    return str((country_profile().get("national_id") or {}).get("name") or "CURP")
