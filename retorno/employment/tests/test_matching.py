"""The matching rules, and that the vectorised index gives exactly what `explain` gives."""

import random
from datetime import date, timedelta

import pytest
from django.utils import translation

from retorno.employment.matching import ProfileFacts, VacancyFacts, VacancyIndex, explain, rank_profiles

TODAY = date(2026, 12, 2)


def vacancy(id=1, **kw) -> VacancyFacts:
    values = dict(
        id=id,
        occupation="5111",
        trade="hospitality",
        skills=frozenset({"cocina"}),
        english="none",
        education="secondary",
        experience_years=0,
        state="BC",
        municipality="tijuana",
        valid_through=TODAY + timedelta(days=10),
    )
    values.update(kw)
    return VacancyFacts(**values)


COOK = ProfileFacts(
    trade="hospitality",
    occupation="5111",
    skills=frozenset({"cocina", "panaderia"}),
    english="basic",
    education="secondary",
    experience_years=4,
    state="BC",
    municipality="tijuana",
)


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def test_a_perfect_fit_scores_every_part_and_says_why():
    m = explain(COOK, vacancy(english="basic"), TODAY)
    assert m.eligible and m.score == 40 + 20 + 10 + 5 + 25
    assert "Misma ocupación" in m.fits and "En el municipio donde quiere trabajar" in m.fits
    assert "Tiene 1 de 1 habilidades pedidas" in m.fits


def test_each_missing_requirement_blocks_with_its_reason():
    assert explain(COOK, vacancy(english="fluent"), TODAY).blockers == [
        "Pide inglés Fluido; la persona: Básico"
    ]
    assert explain(COOK, vacancy(education="university"), TODAY).blockers == ["Pide estudios de Licenciatura"]
    far = explain(COOK, vacancy(state="JC", state_name="Jalisco"), TODAY)
    assert far.blockers == ["Lejos: en otra entidad (Jalisco)"]
    assert explain(COOK, vacancy(valid_through=TODAY - timedelta(days=1)), TODAY).blockers == [
        "Vencida el 2026-12-01"
    ]
    assert explain(COOK, vacancy(open=False), TODAY).blockers == ["Vacante cerrada"]


def test_moving_is_allowed_when_the_person_accepts_it_and_experience_only_lowers_the_score():
    mover = ProfileFacts(**{**COOK.__dict__, "willing_to_relocate": True})
    m = explain(mover, vacancy(state="JC"), TODAY)
    assert m.eligible and "En otra entidad (acepta cambiar de entidad)" in m.fits
    assert (
        explain(COOK, vacancy(experience_years=10), TODAY).score == explain(COOK, vacancy(), TODAY).score - 10
    )


def test_same_trade_counts_less_than_the_same_occupation():
    assert (
        explain(COOK, vacancy(occupation="5113"), TODAY).score == explain(COOK, vacancy(), TODAY).score - 15
    )
    assert (
        explain(COOK, vacancy(occupation="7121", trade="construction"), TODAY).score
        == explain(COOK, vacancy(), TODAY).score - 40
    )


def _random_vacancy(rng, i):
    return vacancy(
        id=i,
        occupation=rng.choice(["5111", "5113", "7121", "8341"]),
        trade=rng.choice(["hospitality", "construction", "transport"]),
        skills=frozenset(
            rng.sample(["cocina", "limpieza", "soldadura", "ventas", "manejo", "ingles"], rng.randint(0, 3))
        ),
        english=rng.choice(["none", "basic", "fluent"]),
        education=rng.choice(["none", "primary", "secondary", "high_school", "university"]),
        experience_years=rng.randint(0, 5),
        state=rng.choice(["BC", "SR", "JC"]),
        municipality=rng.choice(["tijuana", "mexicali", "nogales"]),
        valid_through=TODAY + timedelta(days=rng.randint(-5, 30)),
        open=rng.random() > 0.1,
    )


def _random_profile(rng):
    return ProfileFacts(
        trade=rng.choice(["", "hospitality", "construction"]),
        occupation=rng.choice(["", "5111", "7121"]),
        skills=frozenset(
            rng.sample(["cocina", "limpieza", "soldadura", "ventas", "otro"], rng.randint(0, 3))
        ),
        english=rng.choice(["none", "basic", "fluent"]),
        education=rng.choice(["none", "primary", "secondary", "university"]),
        experience_years=rng.randint(0, 6),
        state=rng.choice(["", "BC", "JC"]),
        municipality=rng.choice(["", "tijuana", "nogales"]),
        willing_to_relocate=rng.random() > 0.5,
    )


def test_the_index_scores_exactly_as_explain_on_random_pairs():
    rng = random.Random(7)
    vacancies = [_random_vacancy(rng, i) for i in range(1, 400)]
    index = VacancyIndex(vacancies)
    for _ in range(60):
        profile = _random_profile(rng)
        scores, blocked = index.scores(profile, TODAY)
        for row, v in enumerate(vacancies):
            m = explain(profile, v, TODAY)
            assert (int(scores[row]), bool(blocked[row])) == (m.score, not m.eligible), (profile, v)


def test_rank_gives_the_best_fits_first_then_the_nearest_misses():
    vacancies = [
        vacancy(1, occupation="5113"),
        vacancy(2),
        vacancy(3, english="fluent"),
        vacancy(4, state="JC"),
    ]
    fits, misses = VacancyIndex(vacancies).rank(COOK, TODAY, fits=5, not_fitting=5)
    assert [m.vacancy_id for m in fits] == [2, 1]
    assert [m.vacancy_id for m in misses] == [3, 4]  # higher score first: 3 is in the right place
    assert VacancyIndex([]).rank(COOK, TODAY) == ([], [])


def test_profiles_are_ranked_for_a_vacancy_and_those_who_do_not_fit_are_left_out():
    weak = ProfileFacts(**{**COOK.__dict__, "occupation": "", "skills": frozenset()})
    far = ProfileFacts(**{**COOK.__dict__, "state": "JC"})
    ranked = rank_profiles([(1, weak), (2, COOK), (3, far)], vacancy(), TODAY)
    assert [pid for pid, _m in ranked] == [2, 1]
