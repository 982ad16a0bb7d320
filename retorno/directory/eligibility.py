"""Matching a person's Profile against the service directory, with reasons.

`compile_service` turns a service's structured eligibility into a tuple of rules once; `match`
is a pure function of a Profile and compiled services that returns the eligible services (ranked)
and the excluded ones, each with its reasons. One rule kind = one small factory function below.

A rule is a callable `check(profile) -> Reason | None`: None when the profile passes, the
exclusion reason when it does not. Positive reasons ("necesita empleo; vive en Michoacán") are
produced by each rule's `explain(profile)` only for the services that turned out eligible, and a
Reason's text is rendered lazily, in the active language, when displayed: matching 1,000
services must not format 20,000 sentences nobody reads.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from retorno.diagnosis.profile import Profile
from retorno.directory import catalogs

SEX_LABELS = {"H": gettext_noop("hombre"), "M": gettext_noop("mujer")}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule included or excluded a service. `text` renders it in the active language."""

    kind: str
    code: str
    params: tuple = ()

    @property
    def text(self) -> str:
        return _render(self, get_language() or "")

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "text": self.text}

    def __str__(self) -> str:
        return self.text


def _names(codes: Iterable[str], label: Callable[[str], str]) -> str:
    return ", ".join(label(c) for c in sorted(codes))


def _lower_first(text: str) -> str:
    # Labels are capitalised for lists; inside a sentence only the first letter drops ("US" stays).
    return text[:1].lower() + text[1:]


def _age_range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{lo}-{hi}"
    if lo is not None:
        return _("%(n)s o más") % {"n": lo}
    return _("hasta %(n)s") % {"n": hi}


# code -> renderer(*params). Texts are Spanish msgids with English translations.
_RENDER: dict[str, Callable[..., str]] = {
    "age_ok": lambda age, lo, hi: (
        _("edad %(age)s dentro del rango %(range)s") % {"age": age, "range": _age_range(lo, hi)}
    ),
    "age_out": lambda age, lo, hi: (
        _("edad %(age)s fuera del rango %(range)s") % {"age": age, "range": _age_range(lo, hi)}
    ),
    "age_unknown": lambda lo, hi: (
        _("edad no registrada; el servicio pide %(range)s") % {"range": _age_range(lo, hi)}
    ),
    "sex_ok": lambda sex: _("sexo: %(sex)s") % {"sex": _(SEX_LABELS.get(sex, sex))},
    "sex_out": lambda sexes: (
        _("sólo para: %(sexes)s") % {"sexes": ", ".join(_(SEX_LABELS.get(s, s)) for s in sexes)}
    ),
    "sex_unknown": lambda sexes: (
        _("sexo no registrado; sólo para: %(sexes)s")
        % {"sexes": ", ".join(_(SEX_LABELS.get(s, s)) for s in sexes)}
    ),
    "state_ok": lambda state: _("vive en %(state)s") % {"state": catalogs.state_label(state)},
    "state_out": lambda state, states: (
        _("vive en %(state)s; se ofrece sólo en %(states)s")
        % {"state": catalogs.state_label(state), "states": _names(states, catalogs.state_label)}
    ),
    "state_unknown": lambda states: (
        _("entidad de residencia no registrada; se ofrece sólo en %(states)s")
        % {"states": _names(states, catalogs.state_label)}
    ),
    "need_ok": lambda needs: (
        _("necesita %(needs)s") % {"needs": _lower_first(_names(needs, catalogs.need_label))}
    ),
    "need_out": lambda needs: (
        _("no se identificó necesidad de %(needs)s")
        % {"needs": _lower_first(_names(needs, catalogs.need_label))}
    ),
    "flags_any_ok": lambda flags: (
        _("grupo prioritario: %(flags)s") % {"flags": _names(flags, catalogs.flag_label)}
    ),
    "flags_any_out": lambda flags: _("sólo para: %(flags)s") % {"flags": _names(flags, catalogs.flag_label)},
    "flags_none_out": lambda flags: (
        _("no disponible para: %(flags)s") % {"flags": _names(flags, catalogs.flag_label)}
    ),
    "documents_ok": lambda docs: _("cuenta con %(docs)s") % {"docs": _names(docs, catalogs.document_label)},
    "documents_out": lambda docs: _("le falta: %(docs)s") % {"docs": _names(docs, catalogs.document_label)},
    "inactive": lambda status: _("servicio no disponible (%(status)s)") % {"status": status},
}


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    check: Callable[[Profile], Reason | None]
    explain: Callable[[Profile], Reason | None] = lambda p: None
    params: tuple = ()  # what the rule was built from, for merging in compile_rules


@lru_cache(maxsize=8192)
def _render(reason: Reason, language: str) -> str:
    # The same few sentences recur across services and requests ("necesita empleo"); Django's
    # gettext costs microseconds per call, so render each (reason, language) once.
    return _RENDER[reason.code](*reason.params)


# ---- one factory per rule kind -------------------------------------------------------------


def rule_age(lo: int | None, hi: int | None) -> Rule:
    def check(p: Profile) -> Reason | None:
        if p.age is None:
            return Reason("age", "age_unknown", (lo, hi))
        if (lo is not None and p.age < lo) or (hi is not None and p.age > hi):
            return Reason("age", "age_out", (p.age, lo, hi))
        return None

    return Rule("age", check, lambda p: Reason("age", "age_ok", (p.age, lo, hi)), (lo, hi))


def rule_sex(sexes: Iterable[str]) -> Rule:
    allowed = frozenset(sexes)
    ordered = tuple(sorted(allowed))

    def check(p: Profile) -> Reason | None:
        if p.sex is None:
            return Reason("sex", "sex_unknown", (ordered,))
        return None if p.sex in allowed else Reason("sex", "sex_out", (ordered,))

    return Rule("sex", check, lambda p: Reason("sex", "sex_ok", (p.sex,)), (allowed,))


def _residence(p: Profile) -> str | None:
    # Where the person will live decides which state's programs apply; origin when unknown.
    return p.destination_state or p.origin_state


def rule_states(states: Iterable[str]) -> Rule:
    allowed = frozenset(states)
    ordered = tuple(sorted(allowed))

    def check(p: Profile) -> Reason | None:
        state = p.destination_state or p.origin_state
        if state is None:
            return Reason("state", "state_unknown", (ordered,))
        return None if state in allowed else Reason("state", "state_out", (state, ordered))

    return Rule("state", check, lambda p: Reason("state", "state_ok", (_residence(p),)), (allowed,))


def rule_needs(needs: Iterable[str]) -> Rule:
    answered = frozenset(needs)
    ordered = tuple(sorted(answered))

    def check(p: Profile) -> Reason | None:
        return Reason("need", "need_out", (ordered,)) if answered.isdisjoint(p.needs) else None

    return Rule("need", check, lambda p: Reason("need", "need_ok", (tuple(sorted(answered & p.needs)),)))


def rule_flags_any(flags: Iterable[str]) -> Rule:
    wanted = frozenset(flags)
    ordered = tuple(sorted(wanted))

    def check(p: Profile) -> Reason | None:
        return Reason("flags_any", "flags_any_out", (ordered,)) if wanted.isdisjoint(p.flags) else None

    return Rule(
        "flags_any", check, lambda p: Reason("flags_any", "flags_any_ok", (tuple(sorted(wanted & p.flags)),))
    )


def rule_flags_none(flags: Iterable[str]) -> Rule:
    barred = frozenset(flags)

    def check(p: Profile) -> Reason | None:
        if barred.isdisjoint(p.flags):
            return None
        return Reason("flags_none", "flags_none_out", (tuple(sorted(barred & p.flags)),))

    return Rule("flags_none", check, params=(barred,))


def rule_documents(documents: Iterable[str]) -> Rule:
    required = frozenset(documents)

    def check(p: Profile) -> Reason | None:
        if required <= p.documents_held:
            return None
        return Reason("documents", "documents_out", (tuple(sorted(required - p.documents_held)),))

    return Rule(
        "documents",
        check,
        lambda p: Reason("documents", "documents_ok", (tuple(sorted(required)),)),
        (required,),
    )


def rule_active(status: str, active: bool) -> Rule:
    reason = None if active else Reason("status", "inactive", (status,))
    return Rule("status", lambda p: reason)


def _merge_age(rules: list[Rule]) -> Rule:
    los = [r.params[0] for r in rules if r.params[0] is not None]
    his = [r.params[1] for r in rules if r.params[1] is not None]
    return rule_age(max(los) if los else None, min(his) if his else None)


# Rules of these kinds combine into one equivalent rule: all of several ranges = their
# intersection, all of several allowed-sets = their intersection, none of several barred sets =
# none of their union, all of several required sets = their union. "At least one of" rules
# (needs, flags_any) do not combine and stay as they are.
_MERGE: dict[str, Callable[[list[Rule]], Rule]] = {
    "age": _merge_age,
    "sex": lambda rules: rule_sex(frozenset.intersection(*(r.params[0] for r in rules))),
    "state": lambda rules: rule_states(frozenset.intersection(*(r.params[0] for r in rules))),
    "flags_none": lambda rules: rule_flags_none(frozenset.union(*(r.params[0] for r in rules))),
    "documents": lambda rules: rule_documents(frozenset.union(*(r.params[0] for r in rules))),
}
# Cheapest and most selective first: most services are excluded by the need rule.
_ORDER = {
    "status": 0,
    "need": 1,
    "age": 2,
    "sex": 3,
    "state": 4,
    "flags_none": 5,
    "flags_any": 6,
    "documents": 7,
}


def compile_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """An equivalent, shorter rule list: same-kind rules merged, selective ones first."""
    by_kind: dict[str, list[Rule]] = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    compiled: list[Rule] = []
    for kind, group in by_kind.items():
        if len(group) > 1 and kind in _MERGE:
            compiled.append(_MERGE[kind](group))
        else:
            compiled.extend(group)
    compiled.sort(key=lambda r: _ORDER.get(r.kind, 99))
    return tuple(compiled)


# ---- compiling and matching ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompiledService:
    id: int
    code: str
    name: str
    institution_id: int
    response_days: int
    rules: tuple[Rule, ...]
    needs: frozenset[str] = frozenset()
    flags_any: frozenset[str] = frozenset()
    obj: Any = None  # the Service, when compiled from the database


class Match:
    """One service's verdict for a profile. `reasons` are computed on first access: for an
    eligible service why it fits, for an excluded one every rule it fails."""

    __slots__ = ("service", "eligible", "score", "_profile", "_reasons")

    def __init__(self, service: CompiledService, eligible: bool, profile: Profile, score: tuple = ()):
        self.service = service
        self.eligible = eligible
        self.score = score
        self._profile = profile
        self._reasons: list[Reason] | None = None

    @property
    def reasons(self) -> list[Reason]:
        if self._reasons is None:
            p = self._profile
            if self.eligible:
                found = (rule.explain(p) for rule in self.service.rules)
            else:
                found = (rule.check(p) for rule in self.service.rules)
            self._reasons = [r for r in found if r is not None]
        return self._reasons

    @property
    def reasons_text(self) -> str:
        return "; ".join(r.text for r in self.reasons)


@dataclass(slots=True)
class MatchResult:
    eligible: list[Match]
    excluded: list[Match]


def compile_service(service) -> CompiledService:
    """Compile a Service (or any object with the same eligibility attributes) into rules."""
    rules: list[Rule] = []
    institution_active = getattr(getattr(service, "institution", None), "active", True)
    if service.status != "active" or not institution_active:
        rules.append(rule_active(service.status, False))
    if service.needs:
        rules.append(rule_needs(service.needs))
    if service.min_age is not None or service.max_age is not None:
        rules.append(rule_age(service.min_age, service.max_age))
    if service.sexes:
        rules.append(rule_sex(service.sexes))
    if service.states:
        rules.append(rule_states(service.states))
    if service.flags_any:
        rules.append(rule_flags_any(service.flags_any))
    if service.flags_excluded:
        rules.append(rule_flags_none(service.flags_excluded))
    if service.documents_required:
        rules.append(rule_documents(service.documents_required))
    return CompiledService(
        id=service.pk,
        code=service.code,
        name=service.name,
        institution_id=service.institution_id,
        response_days=service.response_days,
        rules=compile_rules(rules),
        needs=frozenset(service.needs),
        flags_any=frozenset(service.flags_any),
        obj=service,
    )


def match(profile: Profile, services: Iterable[CompiledService]) -> MatchResult:
    """Eligible services ranked best first, and excluded services (by name).

    Ranking: services reserved for a vulnerable group the person belongs to first, then the
    number of the person's needs the service answers, then the shortest response deadline
    (immediate care before long programs), then name. Evaluation stops at a service's first
    failed rule; the full list of reasons is worked out only for the matches displayed.
    Pure: no database access.
    """
    eligible: list[Match] = []
    excluded: list[Match] = []
    needs, flags = profile.needs, profile.flags
    for service in services:
        for rule in service.rules:
            if rule.check(profile) is not None:
                excluded.append(Match(service, False, profile))
                break
        else:
            score = (
                -len(service.flags_any & flags),
                -len(service.needs & needs),
                service.response_days,
                service.name,
            )
            eligible.append(Match(service, True, profile, score))
    eligible.sort(key=lambda m: m.score)
    excluded.sort(key=lambda m: m.service.name)
    return MatchResult(eligible, excluded)
