"""grievances.yaml: categories with their routing, and the deadlines."""

from functools import cache

import yaml

from retorno.core.reference_loading import ReferenceDataError, deployment_file
from retorno.diagnosis.questionnaire import text

ROUTES = {"supervisor", "human_rights"}


@cache
def grievances_config() -> dict:
    data = yaml.safe_load(deployment_file("grievances.yaml").read_text(encoding="utf-8")) or {}
    categories = {c["code"]: c for c in data.get("categories") or [] if isinstance(c, dict) and c.get("code")}
    if not categories or any(c.get("route") not in ROUTES for c in categories.values()):
        raise ReferenceDataError(f"grievances.yaml: categories need a code and a route ({sorted(ROUTES)})")
    return {
        "acknowledge_days": int(data.get("acknowledge_within_working_days", 2)),
        "answer_days": int(data.get("answer_within_working_days", 10)),
        "categories": categories,
    }


def category_label(code: str) -> str:
    return text((grievances_config()["categories"].get(code) or {}).get("label")) or code


def category_choices() -> list[tuple[str, str]]:
    return [(code, category_label(code)) for code in grievances_config()["categories"]]
