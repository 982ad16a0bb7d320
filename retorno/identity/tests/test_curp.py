from datetime import date

import pytest

from retorno.identity.curp import CurpStemInput, InvalidCurp, curp_disagreements, curp_stem, curp_validate


def stem(given, first, second, sex="H", born=date(1990, 1, 1), state="MN"):
    return curp_stem(CurpStemInput(given, first, second, sex, born, state))


def test_stem_follows_renapo_letters_date_sex_state_and_consonants():
    assert stem("Gloria", "Hernández", "García", "M", date(1956, 4, 27), "VZ") == "HEGG560427MVZRRL"


def test_compound_given_name_skips_maria_and_jose():
    assert stem("María Guadalupe", "López", "Ruiz", "M")[3] == "G"
    assert stem("José Luis", "López", "Ruiz")[3] == "L"
    assert stem("Ma. de los Ángeles", "López", "Ruiz", "M")[3] == "A"
    # A single MARIA is kept.
    assert stem("María", "López", "Ruiz", "M")[3] == "M"


def test_particles_are_skipped_and_enye_becomes_x():
    assert stem("Juan", "de la Peña", "del Río")[:4] == "PERJ"
    assert stem("Juan", "de la Peña", "del Río")[13:16] == "XXN"


def test_missing_second_surname_gives_x():
    assert stem("Pedro", "Ortiz", "")[2] == "X"


def test_inconvenient_word_gets_x_in_second_position():
    # PUTO would be formed by PU(lido) T(orres) O(scar).
    assert stem("Oscar", "Pulido", "Torres")[:4] == "PXTO"


def test_validate_accepts_valid_and_rejects_bad_checksum():
    assert curp_validate("boxw310820hnerxn09") == "BOXW310820HNERXN09"
    with pytest.raises(InvalidCurp) as exc:
        curp_validate("BOXW310820HNERXN08")
    assert exc.value.reason == "checksum"
    with pytest.raises(InvalidCurp) as exc:
        curp_validate("BOXW3108")
    assert exc.value.reason == "length"


def test_disagreements_name_each_part_that_differs():
    data = CurpStemInput("Gloria", "Hernández", "García", "M", date(1956, 4, 27), "VZ")
    assert curp_disagreements("HEGG560427MVZRRL05", data) == []
    assert curp_disagreements("HEGG560428HVZRRL05", data) == ["birth_date", "sex"]
    assert curp_disagreements("HEGG560427MJCRRL05", data) == ["birth_state"]
    assert curp_disagreements("PEGG560427MVZRRL05", data) == ["names"]
