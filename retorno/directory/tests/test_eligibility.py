"""Eligibility rules: each kind includes with a reason and excludes with a reason."""

from types import SimpleNamespace

import pytest
from django.utils import translation

from retorno.diagnosis.profile import Profile
from retorno.directory.eligibility import (
    compile_service,
    match,
    rule_age,
    rule_documents,
    rule_flags_any,
    rule_flags_none,
    rule_needs,
    rule_sex,
    rule_states,
)


def profile(**kw) -> Profile:
    defaults = dict(person_id=1, age=34, sex="H", destination_state="MN", needs={"employment"})
    defaults.update(kw)
    return Profile(**defaults)


def service(code="s", **kw):
    """A stand-in with the Service's eligibility attributes (the matcher is pure)."""
    defaults = dict(
        pk=abs(hash(code)) % 10_000,
        code=code,
        name=code,
        institution_id=1,
        institution=SimpleNamespace(active=True),
        status="active",
        response_days=5,
        needs=[],
        min_age=None,
        max_age=None,
        sexes=[],
        states=[],
        flags_any=[],
        flags_excluded=[],
        documents_required=[],
    )
    defaults.update(kw)
    return compile_service(SimpleNamespace(**defaults))


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es"):
        yield


@pytest.mark.django_db
def test_age_rule_excludes_outside_range_with_the_range_in_the_reason():
    rule = rule_age(18, 64)
    assert rule.check(profile(age=15)).text == "edad 15 fuera del rango 18-64"
    assert rule.check(profile(age=65)).text == "edad 65 fuera del rango 18-64"
    assert rule.check(profile(age=18)) is None
    assert rule.explain(profile(age=30)).text == "edad 30 dentro del rango 18-64"


def test_age_rule_with_unknown_age_excludes_and_says_so():
    assert "edad no registrada" in rule_age(18, None).check(profile(age=None)).text


def test_sex_rule():
    rule = rule_sex(["M"])
    assert rule.check(profile(sex="M")) is None
    assert rule.check(profile(sex="H")).text == "sólo para: mujer"


@pytest.mark.django_db
def test_state_rule_uses_destination_then_origin():
    from retorno.testing.factories import make_state

    make_state("MN", "Michoacán")
    make_state("JC", "Jalisco")
    rule = rule_states(["MN"])
    assert rule.check(profile(destination_state="MN")) is None
    assert rule.explain(profile(destination_state="MN")).text == "vive en Michoacán"
    assert rule.check(profile(destination_state=None, origin_state="MN")) is None
    assert rule.check(profile(destination_state="JC")).text == "vive en Jalisco; se ofrece sólo en Michoacán"


def test_need_rule():
    rule = rule_needs(["employment", "job_training"])
    assert rule.check(profile(needs={"employment"})) is None
    assert rule.explain(profile(needs={"employment"})).text == "necesita empleo"
    assert rule.check(profile(needs={"shelter"})).text.startswith("no se identificó necesidad de ")


def test_flags_any_rule_restricts_to_a_group():
    rule = rule_flags_any(["crime_victim", "trafficking_victim"])
    assert rule.check(profile(flags={"trafficking_victim"})) is None
    assert "Víctima de trata" in rule.explain(profile(flags={"trafficking_victim"})).text
    assert rule.check(profile(flags=set())).text.startswith("sólo para: ")


def test_flags_none_rule_excludes_a_group():
    rule = rule_flags_none(["unaccompanied_minor"])
    assert rule.check(profile(flags={"woman"})) is None
    reason = rule.check(profile(flags={"unaccompanied_minor", "woman"}))
    assert reason.text == "no disponible para: Niña niño o adolescente no acompañado"


def test_documents_rule_names_the_missing_document():
    rule = rule_documents(["curp", "ine"])
    assert rule.check(profile(documents_held={"curp", "ine", "passport"})) is None
    assert rule.check(profile(documents_held={"curp"})).text == "le falta: Credencial para votar (INE)"


def test_inactive_service_is_excluded():
    result = match(profile(), [service("closed", status="inactive", needs=["employment"])])
    assert not result.eligible
    assert result.excluded[0].reasons[0].code == "inactive"


def test_inactive_institution_excludes_its_services():
    result = match(profile(), [service("x", needs=["employment"], institution=SimpleNamespace(active=False))])
    assert result.excluded and not result.eligible


@pytest.mark.django_db
def test_match_gives_all_reasons_for_eligible_and_every_failed_rule_for_excluded():
    from retorno.testing.factories import make_state

    make_state("MN", "Michoacán")
    ok = service("empleo", needs=["employment"], states=["MN"], min_age=18, max_age=64)
    bad = service("joven", needs=["employment"], min_age=12, max_age=29, sexes=["M"])
    result = match(profile(), [ok, bad])
    assert [m.service.code for m in result.eligible] == ["empleo"]
    assert (
        result.eligible[0].reasons_text
        == "necesita empleo; edad 34 dentro del rango 18-64; vive en Michoacán"
    )
    assert result.excluded[0].reasons_text == "edad 34 fuera del rango 12-29; sólo para: mujer"


def test_ranking_puts_group_specific_then_more_needs_then_faster_services_first():
    p = profile(needs={"employment", "shelter", "legal_aid"}, flags={"crime_victim"})
    slow = service("slow", needs=["employment"], response_days=10)
    fast = service("fast", needs=["employment"], response_days=1)
    two_needs = service("two", needs=["employment", "shelter"], response_days=30)
    victims = service("victims", needs=["legal_aid"], flags_any=["crime_victim"], response_days=30)
    result = match(p, [slow, fast, two_needs, victims])
    assert [m.service.code for m in result.eligible] == ["victims", "two", "fast", "slow"]


def test_reasons_render_in_english():
    rule = rule_age(18, 64)
    reason = rule.check(profile(age=15))
    with translation.override("en"):
        assert reason.text == "age 15 outside the range 18-64"


def test_compile_rules_merges_same_kind_rules_without_changing_verdicts():
    from retorno.directory.eligibility import compile_rules

    raw = [
        rule_needs(["employment"]),
        rule_age(16, None),
        rule_age(None, 64),
        rule_age(18, 70),
        rule_flags_none(["pregnant"]),
        rule_flags_none(["unaccompanied_minor"]),
        rule_states(["MN", "JC", "GT"]),
        rule_states(["MN", "JC"]),
        rule_documents(["curp"]),
        rule_documents(["ine"]),
        rule_flags_any(["woman", "older_adult"]),
        rule_flags_any(["woman", "indigenous"]),
    ]
    compiled = compile_rules(raw)
    assert [r.kind for r in compiled] == [
        "need",
        "age",
        "state",
        "flags_none",
        "flags_any",
        "flags_any",
        "documents",
    ]
    people = [
        profile(),
        profile(age=17),
        profile(age=65),
        profile(destination_state="GT"),
        profile(flags={"woman", "pregnant"}),
        profile(flags={"woman"}, documents_held={"curp", "ine"}),
        profile(flags={"woman", "indigenous"}, documents_held={"curp", "ine"}),
        profile(
            flags={"woman", "indigenous"}, documents_held={"curp", "ine"}, age=19, destination_state="JC"
        ),
    ]
    for p in people:
        raw_ok = all(r.check(p) is None for r in raw)
        compiled_ok = all(r.check(p) is None for r in compiled)
        assert raw_ok == compiled_ok, p
    assert all(r.check(people[-1]) is None for r in compiled)
