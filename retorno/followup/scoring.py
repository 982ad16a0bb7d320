"""Reintegration scores (IOM reintegration sustainability approach) from a survey definition.

Each indicator question carries `indicator: {dimension, weight}` and each choice a `score`
between 0 (worst) and 1 (best); choices without a score (e.g. "prefers not to answer") count as
unanswered. A dimension score is the weighted mean of its answered indicators, provided their
weight reaches `min_answered_share` of the dimension's weight; the composite is the weighted mean
of the dimensions that have a score (weights from `dimensions`). All of it is configuration.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from retorno.diagnosis.questionnaire import DefinitionError, choices_of, questions


@dataclass
class Scores:
    dimensions: dict[str, float | None] = field(default_factory=dict)
    composite: float | None = None
    indicators: dict[str, float] = field(default_factory=dict)


def check(definition: Mapping) -> None:
    """Raise DefinitionError unless the survey's scoring keys are consistent."""
    dims = definition.get("dimensions")
    if not isinstance(dims, Mapping) or not dims:
        raise DefinitionError(f"{definition.get('code')}: 'dimensions' with weights is required")
    for name, d in dims.items():
        if not isinstance(d, Mapping) or not isinstance(d.get("weight"), int | float) or d["weight"] <= 0:
            raise DefinitionError(f"dimension '{name}': 'weight' must be a number > 0")
    share = definition.get("min_answered_share", 0)
    if not isinstance(share, int | float) or not 0 <= share <= 1:
        raise DefinitionError("'min_answered_share' must be between 0 and 1")
    for q in questions(definition):
        ind = q.get("indicator")
        if ind is None:
            continue
        where = f"indicator '{q['name']}'"
        if q["type"] != "select_one":
            raise DefinitionError(f"{where}: indicators must be select_one questions")
        if ind.get("dimension") not in dims:
            raise DefinitionError(f"{where}: unknown dimension {ind.get('dimension')!r}")
        if not isinstance(ind.get("weight", 1), int | float) or ind.get("weight", 1) <= 0:
            raise DefinitionError(f"{where}: 'weight' must be a number > 0")
        for c in choices_of(definition, q):
            s = c.get("score")
            if s is not None and (not isinstance(s, int | float) or not 0 <= s <= 1):
                raise DefinitionError(f"{where}: choice '{c['value']}' score must be between 0 and 1")


def compute(definition: Mapping, answers: Mapping[str, Any]) -> Scores:
    """Scores for one survey's answers; dimensions without enough answers are None."""
    dims = definition["dimensions"]
    share = definition.get("min_answered_share", 0)
    result = Scores()
    total_w: dict[str, float] = dict.fromkeys(dims, 0.0)
    answered_w: dict[str, float] = dict.fromkeys(dims, 0.0)
    weighted: dict[str, float] = dict.fromkeys(dims, 0.0)
    for q in questions(definition):
        ind = q.get("indicator")
        if ind is None:
            continue
        dim, w = ind["dimension"], float(ind.get("weight", 1))
        total_w[dim] += w
        choice = next((c for c in choices_of(definition, q) if c["value"] == answers.get(q["name"])), None)
        if choice is None or choice.get("score") is None:
            continue
        result.indicators[q["name"]] = float(choice["score"])
        answered_w[dim] += w
        weighted[dim] += w * float(choice["score"])
    scored: dict[str, float] = {}
    for dim in dims:
        if answered_w[dim] > 0 and answered_w[dim] >= share * total_w[dim]:
            scored[dim] = weighted[dim] / answered_w[dim]
        result.dimensions[dim] = round(scored[dim], 4) if dim in scored else None
    if scored:
        w_sum = sum(float(dims[d]["weight"]) for d in scored)
        result.composite = round(sum(float(dims[d]["weight"]) * s for d, s in scored.items()) / w_sum, 4)
    return result
