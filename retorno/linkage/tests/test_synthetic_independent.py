"""The second, independently written generator: reproducible, same columns, its own structure."""

import collections
import csv

import pytest
from stdnum.mx import curp as stdnum_curp

from retorno.linkage.synthetic import INPUT_COLUMNS, TRUTH_COLUMN
from retorno.linkage.synthetic_independent import IndependentGenerator, IndependentRates, generate_independent

pytestmark = pytest.mark.django_db


def test_same_seed_same_file_and_the_link_input_columns(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    generate_independent(events=500, seed=3, out=a)
    generate_independent(events=500, seed=3, out=b)
    assert a.read_bytes() == b.read_bytes()
    with a.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == [*INPUT_COLUMNS, TRUTH_COLUMN]
        assert len(list(reader)) == 500


def test_its_people_have_siblings_twins_namesakes_and_valid_curps():
    gen = IndependentGenerator(seed=5)
    gen.events(20_000)
    people = gen.people
    assert all(stdnum_curp.is_valid(p.curp) for p in people[:2000])
    by_surnames = collections.Counter((p.first_surname, p.second_surname, p.birth_state) for p in people)
    assert sum(1 for c in by_surnames.values() if c > 1) > 200  # households of siblings
    twins = collections.Counter((p.first_surname, p.second_surname, p.birth_date) for p in people)
    assert any(c > 1 for c in twins.values())
    namesakes = collections.Counter(
        (p.given_names, p.first_surname, p.second_surname, p.birth_date.year) for p in people
    )
    assert any(c > 1 for c in namesakes.values())
    assert any(p.given_names in ("Michael", "Jennifer", "Ashley", "Christopher") for p in people)


def test_sex_is_mis_keyed_at_about_the_rate_asked():
    rows = IndependentGenerator(seed=9, rates=IndependentRates(sex_miskeyed=0.05, hurried_event=0.0)).events(
        20_000
    )
    by_person = collections.defaultdict(list)
    for r in rows:
        by_person[r[TRUTH_COLUMN]].append(r["sex"])
    mixed = sum(1 for sexes in by_person.values() if len(set(sexes)) > 1)
    multi = sum(1 for sexes in by_person.values() if len(sexes) > 1)
    assert 0.04 < mixed / multi < 0.2


@pytest.mark.parametrize("country, scheme", [("gt", "gt.cui"), ("sv", "sv.dui"), ("hn", "hn.dni")])
def test_a_central_american_file_has_its_ids_divisions_and_married_names(country, scheme):
    from retorno.identity.national_ids import scheme_for

    gen = IndependentGenerator(seed=4, country=country)
    rows = gen.events(5_000)
    assert all(scheme_for(scheme).is_valid(p.curp) for p in gen.people)
    assert {r["birth_state"] for r in rows if r["birth_state"]} <= {f"{n:02d}" for n in range(1, 23)}
    married = [p for p in gen.people if p.married_surname]
    assert married and all(p.sex == "M" for p in married)
    recorded = {r["second_surname"].upper() for r in rows if r["second_surname"].upper().startswith("DE ")}
    assert recorded  # some events carry "de <husband's surname>"
