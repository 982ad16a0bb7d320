from datetime import date

import pytest

from retorno.identity.matching import MatchQuery, person_features, person_match_candidates, query_features
from retorno.identity.scoring import score_pair, thresholds
from retorno.testing.factories import make_person, make_state

pytestmark = pytest.mark.django_db


def test_same_curp_is_certain():
    p = make_person(curp="BOXW310820HNERXN09")
    [c] = person_match_candidates(
        MatchQuery(given_names="Otro", first_surname="Nombre", curp="boxw310820hnerxn09")
    )
    assert c.person_id == p.pk and c.band == "certain" and c.reasons[0] == "curp"


def test_accents_case_and_shortened_compound_name_still_match():
    p = make_person(
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="M",
        birth_date=date(1988, 3, 9),
    )
    q = MatchQuery(
        given_names="GUADALUPE",
        first_surname="HERNANDEZ",
        second_surname="",
        sex="M",
        birth_date=date(1988, 3, 9),
    )
    candidates = person_match_candidates(q)
    assert candidates and candidates[0].person_id == p.pk


def test_swapped_day_and_month_is_found():
    p = make_person(birth_date=date(1990, 5, 7))
    q = MatchQuery(
        given_names="Juan",
        first_surname="Pérez",
        second_surname="López",
        sex="H",
        birth_date=date(1990, 7, 5),
    )
    assert [c.person_id for c in person_match_candidates(q)] == [p.pk]


def test_different_person_is_not_proposed():
    make_person(given_names="Juan", first_surname="Pérez", birth_date=date(1990, 5, 17))
    q = MatchQuery(given_names="Roberto", first_surname="Sánchez", sex="H", birth_date=date(1971, 1, 2))
    assert person_match_candidates(q) == []


def test_nickname_finds_the_formal_name_and_back():
    lupe = make_person(
        given_names="Lupe",
        first_surname="Ramírez",
        second_surname="Soto",
        sex="M",
        birth_date=date(1979, 12, 1),
    )
    q = MatchQuery(
        given_names="María Guadalupe",
        first_surname="Ramirez",
        second_surname="Soto",
        sex="M",
        birth_date=date(1979, 12, 1),
    )
    [c] = person_match_candidates(q)
    assert c.person_id == lupe.pk and c.band in ("certain", "probable")
    pancho = make_person(
        given_names="Francisco", first_surname="Ruiz", second_surname="Vega", birth_date=date(1970, 2, 3)
    )
    q = MatchQuery(
        given_names="Pancho",
        first_surname="Ruiz",
        second_surname="Vega",
        sex="H",
        birth_date=date(1970, 2, 3),
    )
    assert person_match_candidates(q)[0].person_id == pancho.pk


def test_swapped_surnames_without_birth_date_are_found():
    p = make_person(
        given_names="Ignacio",
        first_surname="Contreras",
        second_surname="Bautista",
        birth_date=date(1992, 8, 30),
    )
    q = MatchQuery(
        given_names="Nacho",
        first_surname="Bautista",
        second_surname="Contreras",
        sex="H",
        birth_date=date(1992, 8, 30),
    )
    assert person_match_candidates(q)[0].person_id == p.pk


def test_score_is_the_models_match_probability():
    state = make_state("MN", "Michoacán")
    p = make_person(
        given_names="José Luis",
        first_surname="García",
        second_surname="Núñez",
        birth_date=date(1984, 4, 4),
        birth_state=state,
    )
    q = MatchQuery(
        given_names="Luis", first_surname="Garcia", sex="H", birth_date=date(1984, 4, 4), birth_state="MN"
    )
    [c] = person_match_candidates(q)
    expected = score_pair(query_features(q), person_features(p))
    assert c.score == pytest.approx(expected.match_probability, abs=1e-4)
    assert c.match_weight == pytest.approx(expected.match_weight, abs=0.01)
    assert dict(c.levels)["surnames"] == "first exact, a second missing"
    assert c.band == ("probable" if c.score >= thresholds().match else "possible")


def test_merged_away_persons_are_not_candidates():
    survivor = make_person(given_names="Pedro", first_surname="Luna", birth_date=date(1975, 1, 20))
    make_person(given_names="Pedro", first_surname="Luna", birth_date=date(1975, 1, 20), merged_into=survivor)
    q = MatchQuery(given_names="Pedro", first_surname="Luna", sex="H", birth_date=date(1975, 1, 20))
    assert [c.person_id for c in person_match_candidates(q)] == [survivor.pk]


def test_empty_query_returns_nothing():
    make_person()
    assert person_match_candidates(MatchQuery()) == []


def test_a_surname_typo_with_a_wrong_birth_year_is_still_a_candidate():
    """Issue 10, item 4: two corruptions at once used to escape every desk block."""
    state = make_state("MN", "Michoacán")
    p = make_person(
        given_names="Ricardo",
        first_surname="Villanueva",
        second_surname="Cortés",
        birth_date=date(1985, 6, 21),
        birth_state=state,
    )
    q = MatchQuery(
        given_names="Ricardo",
        first_surname="Villanuava",
        second_surname="Cortes",
        sex="H",
        birth_date=date(1986, 6, 21),
        birth_state="MN",
    )
    assert p.pk in [c.person_id for c in person_match_candidates(q)]


def test_a_mis_keyed_sex_lowers_the_score_but_does_not_veto_the_match():
    """Sex is mis-keyed in about 1% of records: it used to weigh -36.5 bits, more than an
    identical CURP, names and birth date together."""
    p = make_person(
        given_names="Guadalupe",
        first_surname="Ortega",
        second_surname="Nava",
        sex="M",
        birth_date=date(1979, 2, 14),
    )
    same = MatchQuery(
        given_names="Guadalupe",
        first_surname="Ortega",
        second_surname="Nava",
        sex="M",
        birth_date=date(1979, 2, 14),
    )
    miskeyed = MatchQuery(
        given_names="Guadalupe",
        first_surname="Ortega",
        second_surname="Nava",
        sex="H",
        birth_date=date(1979, 2, 14),
    )
    [a] = person_match_candidates(same)
    [b] = person_match_candidates(miskeyed)
    assert a.person_id == b.person_id == p.pk
    assert b.score < a.score and b.band in ("certain", "probable")
    assert -8 < dict(score_pair(query_features(miskeyed), person_features(p)).weights)["sex"] < 0


def test_given_name_and_first_surname_typed_in_each_others_field_are_found():
    """A returnee whose US papers read "Hernández Adrián": the desk still proposes the record."""
    p = make_person(
        given_names="Adrián", first_surname="Hernández", second_surname="Medina", birth_date=date(1975, 9, 19)
    )
    q = MatchQuery(
        given_names="HERNANDEZ",
        first_surname="ADRIAN",
        second_surname="MEDINA",
        sex="H",
        birth_date=date(1975, 9, 19),
    )
    [c] = person_match_candidates(q)
    assert c.person_id == p.pk and c.band in ("certain", "probable")
    assert ("given_name", "exchanged with the first surname") in c.levels
