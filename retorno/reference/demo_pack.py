"""The country pack's demo content (data/reference/<country>/demo.yaml): demo logins, the desk
the demo works at, its people and the synthetic history. Every app's demo.py reads it, so a new
country gets a working demo by writing one file, not code."""

from functools import cache
from typing import Any

import yaml
from django.conf import settings


@cache
def demo_pack(code: str | None = None) -> dict[str, Any]:
    """The deployment's demo.yaml, or pack `code`'s ({} when the pack has none: then no demo
    cases are made)."""
    path = settings.DATA_DIR / "reference" / (code or settings.RETORNO_COUNTRY) / "demo.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def demo_desk(key: str, default: str = "") -> str:
    """The demo desk's point or user: 'point', 'officer', 'supervisor', 'second_point'..."""
    return str((demo_pack().get("desk") or {}).get(key) or default)
