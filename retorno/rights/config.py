"""rights.yaml: the legal deadline in working days, holidays, reminders, opposable purposes."""

from datetime import date, timedelta
from functools import cache

import yaml

from retorno.core.reference_loading import ReferenceDataError, deployment_file
from retorno.diagnosis.questionnaire import text


@cache
def rights_config() -> dict:
    data = yaml.safe_load(deployment_file("rights.yaml").read_text(encoding="utf-8")) or {}
    try:
        return {
            "days": int(data.get("deadline_working_days", 20)),
            "remind": int(data.get("remind_days_before", 5)),
            "holidays": {date.fromisoformat(str(d)) for d in data.get("holidays") or []},
            "purposes": {p["code"]: p.get("label") or {} for p in data.get("purposes") or []},
        }
    except (TypeError, ValueError, KeyError) as exc:
        raise ReferenceDataError(f"rights.yaml: {exc}") from exc


def add_working_days(start: date, days: int) -> date:
    """`days` working days after `start` (weekends and the file's holidays do not count)."""
    holidays = rights_config()["holidays"]
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day


def purpose_label(code: str) -> str:
    return text(rights_config()["purposes"].get(code)) or code
