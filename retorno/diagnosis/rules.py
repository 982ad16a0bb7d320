"""Vulnerability flags, priority and needs from rules kept as data (vulnerability_rules.yaml).

`assess(facts)` runs the rules in three passes: flags (a flag rule may read flags found before
it), priority (highest matching level wins, every matching reason is kept), needs. Reasons carry
both languages so a page shows them in the reader's language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from retorno.core.reference_loading import pack_file, read_csv
from retorno.diagnosis import conditions
from retorno.diagnosis.questionnaire import text

PRIORITY_ORDER = {"normal": 0, "high": 1, "urgent": 2}


class RulesError(ValueError):
    """The rules file is malformed or names an unknown flag or need code."""


@dataclass
class Reason:
    kind: str  # 'flag' | 'priority' | 'need'
    code: str
    text: dict  # {'es': ..., 'en': ...}

    def label(self, lang: str | None = None) -> str:
        return text(self.text, lang)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "code": self.code, "text": self.text}


@dataclass
class Assessment:
    flags: set[str] = field(default_factory=set)
    priority: str = "normal"
    needs: set[str] = field(default_factory=set)
    reasons: list[Reason] = field(default_factory=list)


def country_dir() -> Path:
    return Path(settings.DATA_DIR) / "reference" / getattr(settings, "RETORNO_COUNTRY", "mx")


def _codes(path: Path) -> set[str]:
    return {row["code"] for row in read_csv(path)}


def load_rules(path: Path | None = None) -> dict:
    """Read and check the rules file; raise RulesError with the place of the first problem."""
    path = path or country_dir() / "vulnerability_rules.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: {exc}") from exc
    flag_codes = _codes(pack_file(path.parent, "vulnerability_flags.csv"))
    need_codes = _codes(pack_file(path.parent, "needs.csv"))
    kinds = (
        ("flags", "flag", flag_codes),
        ("priority", "priority", set(PRIORITY_ORDER)),
        ("needs", "need", need_codes),
    )
    for section, key, allowed in kinds:
        for i, rule in enumerate(data.get(section) or []):
            where = f"{path.name}: {section}[{i}]"
            if not isinstance(rule, Mapping) or rule.get(key) not in allowed:
                raise RulesError(f"{where}: '{key}' must be one of the known codes, got {rule!r:.80}")
            if "reason" not in rule:
                raise RulesError(f"{where}: missing 'reason'")
            try:
                conditions.check(rule.get("when"), where)
            except conditions.ConditionError as exc:
                raise RulesError(str(exc)) from exc
    return data


def code_names(lang: str | None = None) -> dict[str, str]:
    """Flag and need code -> display name (name / name_en of the reference CSVs)."""
    from django.utils.translation import get_language

    column = "name_en" if (lang or get_language() or "es")[:2] == "en" else "name"
    names: dict[str, str] = {}
    for file in ("vulnerability_flags.csv", "needs.csv"):
        for row in read_csv(pack_file(country_dir(), file)):
            names[row["code"]] = row.get(column) or row["name"]
    return names


_cache: dict[Path, tuple[float, dict]] = {}


def current_rules() -> dict:
    """The rules file of the deployment's country, re-read when the file changes."""
    path = country_dir() / "vulnerability_rules.yaml"
    mtime = path.stat().st_mtime
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:
        _cache[path] = (mtime, load_rules(path))
    return _cache[path][1]


def assess(facts: Mapping[str, Any], rules: Mapping | None = None) -> Assessment:
    """Flags, priority, needs and their reasons for one person's facts."""
    rules = rules if rules is not None else current_rules()
    result = Assessment()
    for rule in rules.get("flags") or []:
        if rule["flag"] not in result.flags and conditions.evaluate(rule["when"], facts, result.flags):
            result.flags.add(rule["flag"])
            result.reasons.append(Reason("flag", rule["flag"], rule["reason"]))
    matched = [r for r in rules.get("priority") or [] if conditions.evaluate(r["when"], facts, result.flags)]
    if matched:
        result.priority = max((r["priority"] for r in matched), key=PRIORITY_ORDER.__getitem__)
        result.reasons += [Reason("priority", r["priority"], r["reason"]) for r in matched]
    # Best interest of the child: no rules file may lower an unaccompanied minor's priority.
    if "unaccompanied_minor" in result.flags or facts.get("event.unaccompanied_minor") is True:
        result.flags.add("unaccompanied_minor")
        if result.priority != "urgent":
            result.priority = "urgent"
            result.reasons.append(
                Reason(
                    "priority",
                    "urgent",
                    {
                        "es": "Menor no acompañado: siempre urgente.",
                        "en": "Unaccompanied minor: always urgent.",
                    },
                )
            )
    for rule in rules.get("needs") or []:
        if rule["need"] not in result.needs and conditions.evaluate(rule["when"], facts, result.flags):
            result.needs.add(rule["need"])
            result.reasons.append(Reason("need", rule["need"], rule["reason"]))
    return result
