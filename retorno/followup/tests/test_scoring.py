import pytest

from retorno.diagnosis.questionnaire import DefinitionError, validate_definition
from retorno.followup import scoring
from retorno.followup.tests.factories import SURVEY_FILE, test_survey


@pytest.fixture
def survey():
    d = validate_definition(test_survey())
    scoring.check(d)
    return d


def test_dimension_is_the_weighted_mean_and_composite_the_weighted_mean_of_dimensions(survey):
    s = scoring.compute(survey, {"a1": "y", "a2": "x", "b1": "z", "b2": "x"})
    # A = (3*0.5 + 1*1) / 4 = 0.625 ; B = (0 + 1) / 2 = 0.5 ; composite = (2*0.625 + 1*0.5) / 3
    assert s.dimensions == {"A": 0.625, "B": 0.5}
    assert s.composite == pytest.approx(0.5833, abs=1e-4)
    assert s.indicators == {"a1": 0.5, "a2": 1.0, "b1": 0.0, "b2": 1.0}


def test_indicator_weights_are_respected(survey):
    # equal weights would give 0.5; a1 weighs 3 of 4
    assert scoring.compute(survey, {"a1": "x", "a2": "z"}).dimensions["A"] == 0.75


def test_missing_and_declined_answers_are_left_out_not_counted_as_zero(survey):
    s = scoring.compute(survey, {"a1": "y", "a2": "x", "b1": "z"})
    # B: b1 answered (1 of 2 weight = 0.5 share, enough): 0 ; composite (2*0.625 + 0) / 3
    assert s.dimensions["B"] == 0.0
    assert s.composite == pytest.approx(0.4167, abs=1e-4)
    s = scoring.compute(survey, {"a1": "y", "a2": "x", "b1": "pn"})
    assert s.dimensions["B"] is None
    assert s.composite == 0.625  # only A counts, dimension weights renormalised


def test_dimension_without_enough_answered_weight_has_no_score(survey):
    s = scoring.compute(survey, {"a2": "x", "b1": "x", "b2": "x"})
    assert s.dimensions["A"] is None  # 1 of 4 weight answered < 0.5
    assert s.composite == 1.0


def test_no_answers_no_scores(survey):
    s = scoring.compute(survey, {})
    assert s.composite is None and s.dimensions == {"A": None, "B": None}


def test_bad_scoring_configuration_is_refused():
    bad = test_survey()
    bad["sections"][0]["questions"][0]["indicator"]["dimension"] = "Z"
    with pytest.raises(DefinitionError, match="unknown dimension"):
        scoring.check(bad)
    bad = test_survey()
    bad["sections"][0]["questions"][0]["choices"][0]["score"] = 7
    with pytest.raises(DefinitionError, match="between 0 and 1"):
        scoring.check(bad)
    bad = test_survey()
    bad["dimensions"]["A"]["weight"] = 0
    with pytest.raises(DefinitionError, match="weight"):
        scoring.check(bad)


def test_shipped_survey_has_three_dimensions_and_about_fifteen_indicators():
    import yaml

    d = validate_definition(yaml.safe_load(SURVEY_FILE.read_text(encoding="utf-8")))
    scoring.check(d)
    indicators = [q for s in d["sections"] for q in s["questions"] if "indicator" in q]
    assert set(d["dimensions"]) == {"economic", "social", "psychosocial"}
    assert 15 <= len(indicators) <= 20
    best = {
        q["name"]: next(c["value"] for c in q.get("choices") if isinstance(c, dict) and c.get("score") == 1)
        for q in indicators
        if isinstance(q.get("choices"), list)
    }
    assert scoring.compute(d, best).dimensions["economic"] == 1.0
