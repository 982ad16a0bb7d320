"""messaging.yaml: quiet hours, reminders, sampling, channels, stop words, self-survey questions
and the message templates per language (data, not code)."""

import unicodedata
from datetime import time
from functools import cache
from typing import Any

import yaml

from retorno.core.reference_loading import ReferenceDataError, deployment_file

FILE = "messaging.yaml"


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).strip().upper()


def parse(data: Any, where: str = FILE) -> dict:
    if not isinstance(data, dict):
        raise ReferenceDataError(f"{where}: expected a mapping")
    try:
        quiet = data.get("quiet_hours") or {}
        start, end = (time.fromisoformat(str(quiet[k])) for k in ("start", "end")) if quiet else (None, None)
        config = {
            "quiet_start": start,
            "quiet_end": end,
            "link_valid_days": int(data.get("link_valid_days", 21)),
            "reminders_max": int((data.get("reminders") or {}).get("max", 0)),
            "reminders_every_days": int((data.get("reminders") or {}).get("every_days", 7)),
            "sample_share": float(data.get("sample_share", 1.0)),
            "channels": list(data.get("channels") or ["sms", "email"]),
            "stop_words": {fold(w) for w in data.get("stop_words") or ["STOP"]},
            "self_survey_questions": list(data.get("self_survey_questions") or []),
            "templates": data.get("templates") or {},
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(f"{where}: {exc}") from exc
    if not 0 <= config["sample_share"] <= 1:
        raise ReferenceDataError(f"{where}: sample_share must be between 0 and 1")
    for name in ("invitation", "reminder", "stopped"):
        if "es" not in (config["templates"].get(name) or {}):
            raise ReferenceDataError(f"{where}: templates.{name} needs at least an 'es' text")
    return config


@cache
def messaging() -> dict:
    return parse(yaml.safe_load(deployment_file(FILE).read_text(encoding="utf-8")))


def template(name: str, language: str) -> str:
    texts = messaging()["templates"][name]
    return str(texts.get((language or "es")[:2]) or texts["es"])
