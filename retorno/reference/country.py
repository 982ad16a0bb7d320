"""The deployment's country profile (data/reference/<country>/country.yaml)."""

from functools import cache
from typing import Any

import yaml
from django.conf import settings


@cache
def country_profile() -> dict[str, Any]:
    path = settings.DATA_DIR / "reference" / settings.RETORNO_COUNTRY / "country.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
