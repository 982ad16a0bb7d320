"""Follow-up configuration (followup.yaml): schedule offsets, channels, which survey to use."""

from pathlib import Path
from typing import Any

import yaml

from retorno.core.reference_loading import pack_file
from retorno.diagnosis.rules import country_dir


class FollowupConfigError(ValueError):
    """followup.yaml is malformed; the message says where."""


DEFAULT = {
    "schedule": [{"months": m, "label": {"es": f"{m} meses", "en": f"{m} months"}} for m in (1, 3, 6, 12)],
    "overdue_after_days": 0,
    "upcoming_days": 14,
    "channels": [
        {"value": "phone", "label": {"es": "Teléfono", "en": "Phone"}},
        {"value": "message", "label": {"es": "Mensaje", "en": "Message"}},
        {"value": "visit", "label": {"es": "Visita", "en": "Visit"}},
    ],
    "survey": "reintegracion",
}


def parse(data: Any, where: str = "followup.yaml") -> dict:
    """Check a parsed followup.yaml and fill defaults."""
    if not isinstance(data, dict):
        raise FollowupConfigError(f"{where}: expected a mapping")
    config = {**DEFAULT, **data}
    months = [s.get("months") if isinstance(s, dict) else None for s in config["schedule"]]
    if not months or not all(isinstance(m, int) and 0 < m <= 120 for m in months):
        raise FollowupConfigError(f"{where}: 'schedule' needs entries with whole 'months' between 1 and 120")
    if len(set(months)) != len(months):
        raise FollowupConfigError(f"{where}: repeated months in 'schedule'")
    for key in ("overdue_after_days", "upcoming_days"):
        if not isinstance(config[key], int) or config[key] < 0:
            raise FollowupConfigError(f"{where}: '{key}' must be a whole number >= 0")
    values = [c.get("value") if isinstance(c, dict) else None for c in config["channels"]]
    if not values or not all(isinstance(v, str) and v for v in values):
        raise FollowupConfigError(f"{where}: each channel needs a text 'value' and a 'label'")
    return config


def load(path: Path | None = None) -> dict:
    path = path or pack_file(country_dir(), "followup.yaml")
    if not path.exists():
        return dict(DEFAULT)
    try:
        return parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    except yaml.YAMLError as exc:
        raise FollowupConfigError(f"{path.name}: {exc}") from exc


_cache: dict[Path, tuple[float, dict]] = {}


def current() -> dict:
    """The deployment's follow-up configuration, re-read when the file changes."""
    path = pack_file(country_dir(), "followup.yaml")
    mtime = path.stat().st_mtime if path.exists() else 0.0
    if path not in _cache or _cache[path][0] != mtime:
        _cache[path] = (mtime, load(path))
    return _cache[path][1]


def channel_choices(config: dict | None = None) -> list[tuple[str, dict]]:
    return [(c["value"], c.get("label", c["value"])) for c in (config or current())["channels"]]
