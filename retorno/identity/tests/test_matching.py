from datetime import date

import pytest

from retorno.identity.matching import MatchQuery, person_match_candidates
from retorno.testing.factories import make_person

pytestmark = pytest.mark.django_db


def test_same_curp_is_certain():
    p = make_person(curp="BOXW310820HNERXN09")
    [c] = person_match_candidates(
        MatchQuery(given_names="Otro", first_surname="Nombre", curp="boxw310820hnerxn09")
    )
    assert c.person_id == p.pk and c.band == "certain"


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
