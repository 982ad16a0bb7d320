from datetime import date, timedelta

import pytest

from retorno.diagnosis import questionnaire as qn
from retorno.diagnosis.tests.factories import SMALL, VALID_ANSWERS, real_definition, small_definition


def _valid(**raw):
    return qn.validate_answers(small_definition(), {"works": "false", **raw})


def test_boolean_accepts_true_false_text_and_rejects_other_values():
    answers, errors = _valid()
    assert answers == {"works": False} and errors == {}
    _, errors = qn.validate_answers(small_definition(), {"works": "maybe"})
    assert errors["works"] == [str(qn.MSG_INVALID_BOOLEAN)]


def test_required_question_missing_is_an_error_but_not_in_a_draft():
    _, errors = qn.validate_answers(small_definition(), {})
    assert errors == {"works": [str(qn.MSG_REQUIRED)]}
    answers, errors = qn.validate_answers(small_definition(), {}, draft=True)
    assert answers == {} and errors == {}


def test_select_one_rejects_a_value_not_among_choices():
    _, errors = qn.validate_answers(small_definition(), {"works": "true", "trade": "astronaut"})
    assert errors["trade"] == [str(qn.MSG_INVALID_CHOICE)]


def test_relevant_required_question_must_be_answered_when_relevant():
    _, errors = qn.validate_answers(small_definition(), {"works": "true"})
    assert errors == {"trade": [str(qn.MSG_REQUIRED)]}


def test_irrelevant_answers_are_dropped_whatever_was_sent():
    answers, errors = qn.validate_answers(small_definition(), {"works": "false", "trade": "farm"})
    assert errors == {} and "trade" not in answers


def test_select_multiple_keeps_known_values_and_refuses_unknown_or_exclusive_mix():
    answers, _ = _valid(langs=["es", "en", "es"])
    assert answers["langs"] == ["es", "en"]
    _, errors = _valid(langs=["es", "klingon"])
    assert errors["langs"] == [str(qn.MSG_INVALID_CHOICE)]
    _, errors = _valid(langs=["es", "none"])
    assert "Ninguno" in errors["langs"][0]


def test_integer_parses_text_and_enforces_min_and_max():
    assert _valid(children="3")[0]["children"] == 3
    assert _valid(children="tres")[1]["children"] == [str(qn.MSG_INVALID_INTEGER)]
    assert _valid(children="2.5")[1]["children"] == [str(qn.MSG_INVALID_INTEGER)]
    assert _valid(children="21")[1]["children"] == [str(qn.MSG_MAX) % {"limit": 20}]
    assert _valid(children="-1")[1]["children"] == [str(qn.MSG_MIN) % {"limit": 0}]
    assert _valid(children=True)[1]["children"] == [str(qn.MSG_INVALID_INTEGER)]


def test_cross_field_constraint_shows_the_message_from_the_file():
    _, errors = _valid(children="1", children_us="2")
    assert errors["children_us"] == ["No más que el total de hijos."]
    answers, errors = _valid(children="2", children_us="2")
    assert errors == {} and answers["children_us"] == 2


def test_text_enforces_max_length_and_pattern():
    assert _valid(code="ABC12")[0]["code"] == "ABC12"
    assert _valid(code="abc")[1]["code"] == [str(qn.MSG_PATTERN)]
    assert _valid(code="ABC" + "1" * 20)[1]["code"] == [str(qn.MSG_TOO_LONG) % {"limit": 10}]
    assert _valid(code={"x": 1})[1]["code"] == [str(qn.MSG_INVALID_ANSWER)]


def test_date_is_iso_and_not_after_today():
    assert _valid(arrived="2020-02-29")[0]["arrived"] == "2020-02-29"
    assert _valid(arrived="29/02/2020")[1]["arrived"] == [str(qn.MSG_INVALID_DATE)]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    # The limit is said in the language's date format (dd/mm/aaaa in Spanish).
    assert _valid(arrived=tomorrow)[1]["arrived"] == [str(qn.MSG_MAX) % {"limit": date.today().strftime("%d/%m/%Y")}]


def test_unknown_question_names_are_reported():
    _, errors = _valid(hacker="1")
    assert "hacker" in errors["__all__"][0]


def test_score_sums_item_scores_and_is_left_out_when_an_item_is_missing_or_declined():
    d = small_definition()
    assert qn.compute_scores(d, {"f1": "often", "f2": "often"}) == {"ftotal": 4}
    assert qn.compute_scores(d, {"f1": "often"}) == {}
    assert qn.compute_scores(d, {"f1": "often", "f2": "prefer_not"}) == {}


def test_definition_check_refuses_bad_files_with_the_place():
    bad = {**SMALL, "sections": [{"name": "s", "questions": [{"name": "a", "type": "slider", "label": "x"}]}]}
    with pytest.raises(qn.DefinitionError, match="type must be"):
        qn.validate_definition(bad)
    forward = {
        **SMALL,
        "sections": [
            {
                "name": "s",
                "questions": [
                    {"name": "a", "type": "text", "label": "a", "relevant": {"field": "b", "op": "answered"}},
                    {"name": "b", "type": "text", "label": "b"},
                ],
            }
        ],
    }
    with pytest.raises(qn.DefinitionError, match="unknown or later"):
        qn.validate_definition(forward)
    yaml_bool = {
        **SMALL,
        "sections": [
            {
                "name": "s",
                "questions": [
                    {
                        "name": "a",
                        "type": "select_one",
                        "label": "a",
                        "choices": [{"value": True, "label": "Sí"}],
                    }
                ],
            }
        ],
    }
    with pytest.raises(qn.DefinitionError, match="quote it"):
        qn.validate_definition(yaml_bool)


def test_real_questionnaire_accepts_a_complete_answer_set():
    answers, errors = qn.validate_answers(real_definition(), VALID_ANSWERS, context={"person.sex": "H"})
    assert errors == {}
    assert answers["years_in_us"] == 8 and answers["documents_held"] == ["consular_id"]


def test_real_questionnaire_without_consent_drops_everything_else():
    raw = {**VALID_ANSWERS, "consent_given": "false"}
    answers, errors = qn.validate_answers(real_definition(), raw)
    assert "Sin consentimiento" in errors["consent_given"][0]
    assert set(answers) == {"consent_given"}


def test_pregnancy_question_is_only_relevant_for_women():
    raw = {**VALID_ANSWERS, "pregnant": "yes"}
    answers, _ = qn.validate_answers(real_definition(), raw, context={"person.sex": "H"})
    assert "pregnant" not in answers
    answers, _ = qn.validate_answers(real_definition(), raw, context={"person.sex": "M"})
    assert answers["pregnant"] == "yes"


def test_sensitive_questions_are_skipped_unless_the_person_agrees():
    raw = {**VALID_ANSWERS, "sensitive_consent": "no", "crime_victim": "yes"}
    answers, _ = qn.validate_answers(real_definition(), raw)
    assert "crime_victim" not in answers
    raw["sensitive_consent"] = "yes"
    answers, _ = qn.validate_answers(real_definition(), raw)
    assert answers["crime_victim"] == "yes"


def test_form_renders_labels_in_the_active_language_and_collects_errors():
    from django.utils import translation

    with translation.override("en"):
        form = qn.QuestionnaireForm(data={"children": "x"}, definition=small_definition())
        assert form.fields["works"].label == "Works?"
        assert not form.is_valid()
        assert form.errors["children"] == [str(qn.MSG_INVALID_INTEGER)]
    form = qn.QuestionnaireForm(
        data={"works": "true", "trade": "farm", "langs": ["es"]}, definition=small_definition()
    )
    assert form.is_valid(), form.errors
    assert form.answers == {"works": True, "trade": "farm", "langs": ["es"]}


def test_relevant_names_follow_partial_answers():
    d = small_definition()
    assert "trade" not in qn.relevant_names(d, {"works": "false"})
    assert "trade" in qn.relevant_names(d, {"works": "true"})


def test_display_answers_uses_the_definition_labels():
    rows = qn.display_answers(small_definition(), {"works": True, "trade": "farm"}, "en")
    assert [(r["label"], r["value"]) for r in rows[0]["rows"]] == [("Works?", "Sí"), ("Trade", "Farm")]
