"""Structured conditions: the safe rule language of questionnaires and vulnerability rules.

A condition is plain data (YAML/JSON), never code, so no `eval`:

    {field: years_in_us, op: gte, value: 10}          # one comparison
    {field: unregistered, op: lte, value_field: born_in_us}   # against another answer
    {all: [cond, cond, ...]}   {any: [cond, ...]}   {not: cond}
    {flag: unaccompanied_minor}                        # a vulnerability flag already derived

`field` names a key of the facts mapping: a question name (answers) or a dotted reception fact
such as `person.age`, `person.sex`, `event.unaccompanied_minor`, `score.k6_total`.
Operators: eq, ne, in, not_in, gt, gte, lt, lte, contains (a select_multiple answer holds the
value), contains_any (holds any of a list), answered, not_answered. A comparison with a missing
answer is false (except `ne`, `not_in`, `not_answered`), so an unanswered question never fires a rule.

Hand-written because the language is deliberately tiny: a general expression library would
accept far more than a country adapter should be able to write, and each extra feature is a
way to make a rule that cannot be reviewed at a glance.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

OPERATORS = {
    "eq",
    "ne",
    "in",
    "not_in",
    "gt",
    "gte",
    "lt",
    "lte",
    "contains",
    "contains_any",
    "answered",
    "not_answered",
}
LOGICAL = {"all", "any", "not"}


class ConditionError(ValueError):
    """A condition is malformed (unknown operator, missing field...). Raised at load time."""


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _resolve(value: Any) -> Any:
    # "today" lets a date constraint say "not in the future" without a code change.
    if value == "today":
        return date.today()
    return value


def check(cond: Any, where: str = "condition") -> None:
    """Raise ConditionError if `cond` is not a well-formed condition (used by the loaders)."""
    if not isinstance(cond, Mapping) or not cond:
        raise ConditionError(f"{where}: a condition must be a non-empty mapping, got {cond!r}")
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        parts = cond[key]
        if not isinstance(parts, list) or not parts:
            raise ConditionError(f"{where}: '{key}' needs a non-empty list")
        for i, part in enumerate(parts):
            check(part, f"{where}.{key}[{i}]")
        return
    if "not" in cond:
        check(cond["not"], f"{where}.not")
        return
    if "flag" in cond:
        if not isinstance(cond["flag"], str):
            raise ConditionError(f"{where}: 'flag' must be a flag code")
        return
    if "field" not in cond:
        raise ConditionError(f"{where}: needs 'field', 'flag', 'all', 'any' or 'not': {dict(cond)}")
    op = cond.get("op", "eq")
    if op not in OPERATORS:
        raise ConditionError(f"{where}: unknown operator '{op}'")
    if op in ("in", "not_in", "contains_any") and not isinstance(cond.get("value"), list):
        raise ConditionError(f"{where}: operator '{op}' needs a list value")
    if op not in ("answered", "not_answered") and "value" not in cond and "value_field" not in cond:
        raise ConditionError(f"{where}: operator '{op}' needs a 'value' or a 'value_field'")


def evaluate(cond: Mapping, facts: Mapping[str, Any], flags: set[str] | frozenset = frozenset()) -> bool:
    """True if `cond` holds for `facts` (and the flags derived so far). Assumes check() passed."""
    if "all" in cond:
        return all(evaluate(c, facts, flags) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, facts, flags) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], facts, flags)
    if "flag" in cond:
        return cond["flag"] in flags
    op = cond.get("op", "eq")
    actual = facts.get(cond["field"])
    if op == "answered":
        return not _is_empty(actual)
    if op == "not_answered":
        return _is_empty(actual)
    if "value_field" in cond:
        expected = facts.get(cond["value_field"])
        if _is_empty(expected):
            return op in ("ne", "not_in")
    else:
        expected = _resolve(cond.get("value"))
    if _is_empty(actual):
        return op in ("ne", "not_in")
    try:
        if op == "eq":
            return actual == expected
        if op == "ne":
            return actual != expected
        if op == "in":
            return actual in expected
        if op == "not_in":
            return actual not in expected
        if op == "contains":
            return isinstance(actual, list) and expected in actual
        if op == "contains_any":
            return isinstance(actual, list) and any(v in actual for v in expected)
        if isinstance(actual, date) and isinstance(expected, str):
            expected = date.fromisoformat(expected)
        if op == "gt":
            return actual > expected
        if op == "gte":
            return actual >= expected
        if op == "lt":
            return actual < expected
        if op == "lte":
            return actual <= expected
    except (TypeError, ValueError):
        # Comparing a text answer with a number: the rule does not apply rather than a 500.
        return False
    return False


def fields_used(cond: Mapping) -> set[str]:
    """Every `field` a condition reads (loaders check they exist)."""
    if "all" in cond or "any" in cond:
        return set().union(*(fields_used(c) for c in cond.get("all") or cond.get("any")))
    if "not" in cond:
        return fields_used(cond["not"])
    if "field" in cond:
        return {cond["field"]} | ({cond["value_field"]} if "value_field" in cond else set())
    return set()
