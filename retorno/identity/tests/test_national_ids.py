"""The national id validators (python-stdnum style) and the schemes built on them."""

import doctest

import pytest

from retorno.identity.national_ids import SCHEMES, InvalidNationalId, gt_cui, hn_dni, scheme_for, sv_dui
from retorno.identity.national_ids.examples import example_number


@pytest.mark.parametrize("module", [gt_cui, sv_dui, hn_dni])
def test_doctests_of_each_validator_pass(module):
    """The docstrings are the test vectors, as in python-stdnum."""
    result = doctest.testmod(module, optionflags=doctest.IGNORE_EXCEPTION_DETAIL | doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0


def test_cui_check_digit_follows_renap_weights():
    # 2*2 + 9*3 + 7*4 + 6*5 + 0*6 + 7*7 + 0*8 + 4*9 = 174; 174 mod 11 = 9
    assert gt_cui.calc_check_digit("29760704") == "9"
    assert gt_cui.is_valid("2976 07049 0101")
    assert not gt_cui.is_valid("2976 07048 0101")  # check digit
    assert not gt_cui.is_valid("2976 07049 2301")  # no department 23
    assert not gt_cui.is_valid("2976 07049 1834")  # Izabal has 5 municipalities
    assert gt_cui.is_valid("2976 07049 1333")  # Huehuetenango's 33rd (Petatán, 2015)
    assert sum(gt_cui.MUNICIPALITIES_PER_DEPARTMENT) == 340


def test_cui_serial_without_check_digit_is_refused():
    # weights 2..9; a serial whose sum is 10 mod 11 has no valid check digit
    serial = next(
        f"{n:08d}" for n in range(10**6, 10**6 + 200)
        if sum(int(d) * (i + 2) for i, d in enumerate(f"{n:08d}")) % 11 == 10
    )
    for last in "0123456789":
        assert not gt_cui.is_valid(serial + last + "0101")


def test_dui_check_digit_and_the_zero_number():
    # 0*9 + 0*8 + 0*7 + 1*6 + 6*5 + 2*4 + 9*3 + 7*2 = 85; (10 - 85 mod 10) mod 10 = 5
    assert sv_dui.calc_check_digit("00016297") == "5"
    assert sv_dui.validate("00016297-5") == "000162975"
    assert not sv_dui.is_valid("000000000")
    assert not sv_dui.is_valid("0001629-75a")
    assert sv_dui.format("000162975") == "00016297-5"


def test_dni_structure_department_municipality_year_sequence():
    assert hn_dni.is_valid("0801-1990-01234")  # Francisco Morazán, Distrito Central
    assert hn_dni.is_valid("1104-1990-01234")  # Islas de la Bahía has 4 municipalities
    assert not hn_dni.is_valid("1105-1990-01234")
    assert not hn_dni.is_valid("0801-1870-01234")  # year before the civil registry
    assert not hn_dni.is_valid("0801-1990-00000")  # sequence 0
    assert not hn_dni.is_valid("0801-1990-0123")  # length
    assert sum(hn_dni.MUNICIPALITIES_PER_DEPARTMENT) == 298


@pytest.mark.parametrize("code", sorted(SCHEMES))
def test_scheme_reasons_and_masking(code):
    scheme = scheme_for(code)
    number = scheme.validate(scheme.example)
    assert len(number) == scheme.length
    assert scheme.mask(number).endswith(number[-4:]) and number[:-4] not in scheme.mask(number)
    with pytest.raises(InvalidNationalId) as exc:
        scheme.validate(number[:-1])
    assert exc.value.reason == "length"
    with pytest.raises(InvalidNationalId) as exc:
        scheme.validate("X" * scheme.length)
    assert exc.value.reason in ("format", "component")


@pytest.mark.parametrize("code", sorted(SCHEMES))
def test_example_numbers_are_valid_for_many_serials(code):
    scheme = scheme_for(code)
    numbers = {
        example_number(code, serial=n, given="Ana", first="López", second="Pérez", sex="M", division="")
        for n in range(300)
    }
    assert all(scheme.is_valid(n) for n in numbers)
    assert len(numbers) >= (1 if code == "mx.curp" else 250)  # a CURP comes from the person's data


def test_facts_the_numbers_tell():
    assert scheme_for("gt.cui").facts("2976070491301").division == "13"
    facts = scheme_for("hn.dni").facts("0801199001234")
    assert (facts.division, facts.birth_year) == ("08", 1990)
    assert scheme_for("sv.dui").facts("000162975").division == ""
    assert scheme_for("sv.dui").facts("000162974") is None
    curp = scheme_for("mx.curp").facts("BOXW310820HNERXN09")
    assert (curp.sex, curp.division, curp.birth_date.year) == ("H", "NE", 1931)
