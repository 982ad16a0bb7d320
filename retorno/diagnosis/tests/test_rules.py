from pathlib import Path

import pytest

from retorno.core.reference_loading import pack_file
from retorno.diagnosis import conditions, rules

R = {"es": "r", "en": "r"}
RULES = {
    "flags": [
        {
            "flag": "woman",
            "when": {"field": "person.sex", "op": "eq", "value": "M"},
            "reason": {"es": "Mujer", "en": "Woman"},
        },
        {"flag": "gbv_victim", "when": {"field": "gender_violence", "op": "eq", "value": "yes"}, "reason": R},
        {
            "flag": "mental_health_distress",
            "when": {"field": "score.k6_total", "op": "gte", "value": 13},
            "reason": R,
        },
        {
            "flag": "unaccompanied_minor",
            "when": {"field": "event.unaccompanied_minor", "op": "eq", "value": True},
            "reason": R,
        },
    ],
    "priority": [
        {
            "priority": "high",
            "when": {"all": [{"flag": "woman"}, {"flag": "gbv_victim"}]},
            "reason": {"es": "Mujer víctima", "en": "Woman victim"},
        },
        {
            "priority": "urgent",
            "when": {"field": "needs_medical_now", "op": "eq", "value": True},
            "reason": R,
        },
    ],
    "needs": [
        {"need": "victim_support", "when": {"flag": "gbv_victim"}, "reason": R},
        {"need": "employment", "when": {"field": "work_plan", "op": "in", "value": ["job"]}, "reason": R},
    ],
}


def test_conditions_compare_and_combine():
    facts = {"a": 5, "b": ["x", "y"], "c": None}
    assert conditions.evaluate({"field": "a", "op": "gte", "value": 5}, facts)
    assert not conditions.evaluate({"field": "a", "op": "lt", "value": 5}, facts)
    assert conditions.evaluate({"field": "b", "op": "contains", "value": "y"}, facts)
    assert conditions.evaluate({"field": "b", "op": "contains_any", "value": ["z", "x"]}, facts)
    assert conditions.evaluate({"not": {"field": "b", "op": "contains", "value": "z"}}, facts)
    assert conditions.evaluate(
        {"any": [{"field": "a", "op": "eq", "value": 1}, {"field": "c", "op": "not_answered"}]}, facts
    )
    assert not conditions.evaluate(
        {"all": [{"field": "a", "op": "eq", "value": 5}, {"flag": "woman"}]}, facts
    )
    assert conditions.evaluate({"flag": "woman"}, facts, {"woman"})


def test_missing_answers_never_fire_a_comparison_and_wrong_types_do_not_crash():
    assert not conditions.evaluate({"field": "missing", "op": "gte", "value": 1}, {})
    assert conditions.evaluate({"field": "missing", "op": "ne", "value": 1}, {})
    assert not conditions.evaluate({"field": "a", "op": "gt", "value": 3}, {"a": "text"})


def test_malformed_conditions_are_refused_at_load_time():
    for bad in (
        {},
        {"field": "a", "op": "like", "value": 1},
        {"field": "a", "op": "in", "value": 3},
        {"all": []},
        "a > 3",
    ):
        with pytest.raises(conditions.ConditionError):
            conditions.check(bad)


def test_flag_rules_derive_flags_with_reasons():
    result = rules.assess({"person.sex": "M", "gender_violence": "yes"}, RULES)
    assert result.flags == {"woman", "gbv_victim"}
    assert [r.label("en") for r in result.reasons if r.code == "woman"] == ["Woman"]


def test_priority_is_the_highest_matching_level_with_every_reason():
    result = rules.assess({"person.sex": "M", "gender_violence": "yes"}, RULES)
    assert result.priority == "high"
    assert [r.label("es") for r in result.reasons if r.kind == "priority"] == ["Mujer víctima"]
    result = rules.assess({"person.sex": "M", "gender_violence": "yes", "needs_medical_now": True}, RULES)
    assert result.priority == "urgent"
    assert len([r for r in result.reasons if r.kind == "priority"]) == 2


def test_no_matching_rule_means_normal_priority():
    assert rules.assess({"person.sex": "H"}, RULES).priority == "normal"


def test_need_rules_read_answers_and_flags():
    result = rules.assess({"person.sex": "M", "gender_violence": "yes", "work_plan": "job"}, RULES)
    assert result.needs == {"victim_support", "employment"}


def test_score_facts_drive_flags():
    assert "mental_health_distress" in rules.assess({"score.k6_total": 13}, RULES).flags
    assert "mental_health_distress" not in rules.assess({"score.k6_total": 12}, RULES).flags


def test_unaccompanied_minor_is_urgent_even_if_the_rules_file_forgets_it():
    no_priority_rules = {**RULES, "priority": []}
    result = rules.assess({"event.unaccompanied_minor": True}, no_priority_rules)
    assert result.priority == "urgent" and "unaccompanied_minor" in result.flags
    result = rules.assess({"event.unaccompanied_minor": True}, {})
    assert result.priority == "urgent"


def test_real_rules_file_loads_and_uses_only_known_codes():
    data = rules.load_rules()
    assert len(data["flags"]) >= 15 and data["needs"]


def test_rules_file_with_an_unknown_flag_code_is_refused(tmp_path: Path):
    src = rules.country_dir()
    for name in ("vulnerability_flags.csv", "needs.csv"):
        (tmp_path / name).write_text(pack_file(src, name).read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "vulnerability_rules.yaml"
    bad.write_text("flags:\n  - flag: made_up\n    when: {field: a, op: eq, value: 1}\n    reason: {es: x}\n")
    with pytest.raises(rules.RulesError, match="made_up"):
        rules.load_rules(bad)
    bad.write_text(
        "needs:\n  - need: employment\n    when: {field: a, op: between, value: 1}\n    reason: {es: x}\n"
    )
    with pytest.raises(rules.RulesError, match="between"):
        rules.load_rules(bad)


def test_real_rules_flag_a_woman_victim_as_high_priority():
    facts = {"person.sex": "M", "person.age": 30, "sensitive_consent": "yes", "gender_violence": "yes"}
    result = rules.assess(facts)
    assert {"woman", "gbv_victim"} <= result.flags
    assert result.priority == "high" and "victim_support" in result.needs
