"""The employment programmes' rules, kept as data (the pack's employment/programmes.yaml), and the
pure decisions made from them: who may receive the job-search support, the stages of
self-employment. No database access here: callers pass the facts."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from retorno.core.reference_loading import ReferenceDataError, deployment_file
from retorno.diagnosis.questionnaire import text as label_text

PROGRAMMES_FILE = "employment/programmes.yaml"


@dataclass(frozen=True)
class Concept:
    code: str
    cap: Decimal
    labels: dict

    @property
    def label(self) -> str:
        return label_text(self.labels)


@dataclass(frozen=True)
class SupportRules:
    code: str
    names: dict
    approver_institution: str
    min_age: int | None
    max_age: int | None
    max_days_since_return: int | None
    points: frozenset[str] | None
    looking_for_work: bool
    concepts: tuple[Concept, ...]

    @property
    def name(self) -> str:
        return label_text(self.names)

    def concept(self, code: str) -> Concept | None:
        return next((c for c in self.concepts if c.code == code), None)


@dataclass(frozen=True)
class Stage:
    code: str
    labels: dict

    @property
    def label(self) -> str:
        return label_text(self.labels)


@dataclass(frozen=True)
class Programmes:
    job_bank_institution: str
    occupation_scheme: str
    hire_window_days: int
    currency: str
    support: SupportRules | None
    self_employment_code: str
    self_employment_names: dict
    stages: tuple[Stage, ...]

    @property
    def self_employment_name(self) -> str:
        return label_text(self.self_employment_names)

    def stage(self, code: str) -> Stage | None:
        return next((s for s in self.stages if s.code == code), None)

    def next_stage(self, code: str) -> Stage | None:
        codes = [s.code for s in self.stages]
        return (
            self.stages[codes.index(code) + 1]
            if code in codes and codes.index(code) + 1 < len(codes)
            else None
        )


def parse(data: Any, where: str = PROGRAMMES_FILE) -> Programmes:
    """Programmes from the file's content; ReferenceDataError names what is wrong."""
    if not isinstance(data, dict) or not data.get("job_bank_institution"):
        raise ReferenceDataError(f"{where}: 'job_bank_institution' is required")
    support = None
    if data.get("support"):
        s = data["support"]
        rules = s.get("eligibility") or {}
        concepts = []
        for c in s.get("concepts") or []:
            try:
                concepts.append(Concept(str(c["code"]), Decimal(str(c["cap"])), c.get("label") or {}))
            except (KeyError, ArithmeticError, TypeError) as exc:
                raise ReferenceDataError(
                    f"{where}: support concept {c!r} needs a code and a numeric cap"
                ) from exc
        if not concepts or not s.get("code") or not s.get("approver_institution"):
            raise ReferenceDataError(f"{where}: support needs a code, an approver_institution and concepts")
        points = rules.get("points")
        support = SupportRules(
            code=str(s["code"]),
            names=s.get("name") or {},
            approver_institution=str(s["approver_institution"]),
            min_age=rules.get("min_age"),
            max_age=rules.get("max_age"),
            max_days_since_return=rules.get("max_days_since_return"),
            points=frozenset(points) if points else None,
            looking_for_work=bool(rules.get("looking_for_work")),
            concepts=tuple(concepts),
        )
    se = data.get("self_employment") or {}
    stages = tuple(Stage(str(st["code"]), st.get("label") or {}) for st in se.get("stages") or [])
    if not stages:
        raise ReferenceDataError(f"{where}: self_employment.stages is required")
    return Programmes(
        job_bank_institution=str(data["job_bank_institution"]),
        occupation_scheme=str(data.get("occupation_scheme") or "ISCO-08"),
        hire_window_days=int(data.get("hire_window_days") or 90),
        currency=str(data.get("currency") or "MXN"),
        support=support,
        self_employment_code=str(se.get("code") or "self_employment"),
        self_employment_names=se.get("name") or {},
        stages=stages,
    )


def load(path: Path) -> Programmes:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


@cache
def programmes() -> Programmes:
    """The deployment's programmes (cached; retorno.testing.country clears the cache)."""
    return load(deployment_file(PROGRAMMES_FILE))


# ---- the job-search support's eligibility ---------------------------------------------------


@dataclass(frozen=True)
class SupportFacts:
    age: int | None
    arrived_on: date
    point_code: str
    looking_for_work: bool | None
    today: date


@dataclass
class Verdict:
    eligible: bool
    reasons: list[tuple[bool, str]] = field(default_factory=list)  # (condition met, why)


def support_eligibility(rules: SupportRules, facts: SupportFacts) -> Verdict:
    """Every condition of the rules with whether the person meets it; eligible when all are met."""
    verdict = Verdict(True)

    def check(ok: bool, text: str) -> None:
        verdict.reasons.append((ok, text))
        verdict.eligible &= ok

    if rules.min_age is not None or rules.max_age is not None:
        age = facts.age
        ok = age is not None and (rules.min_age is None or age >= rules.min_age)
        ok &= age is not None and (rules.max_age is None or age <= rules.max_age)
        check(
            ok,
            _("Edad: %(age)s años (requisito: %(min)s o más)")
            % {"age": "?" if age is None else age, "min": rules.min_age or 0},
        )
    if rules.max_days_since_return is not None:
        days = (facts.today - facts.arrived_on).days
        check(
            0 <= days <= rules.max_days_since_return,
            _("Días desde el retorno: %(days)s (máximo %(max)s)")
            % {"days": days, "max": rules.max_days_since_return},
        )
    if rules.points is not None:
        check(
            facts.point_code in rules.points,
            _("Punto de retorno %(point)s: %(verdict)s")
            % {
                "point": facts.point_code,
                "verdict": _("en la zona del programa")
                if facts.point_code in rules.points
                else _("fuera de la zona del programa"),
            },
        )
    if rules.looking_for_work:
        check(
            bool(facts.looking_for_work),
            _("Busca empleo activamente")
            if facts.looking_for_work
            else _("No consta que busque empleo activamente"),
        )
    return verdict
