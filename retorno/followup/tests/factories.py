import copy
from pathlib import Path

import yaml
from django.conf import settings

from retorno.diagnosis.tests.factories import make_questionnaire

SURVEY_FILE = Path(settings.DATA_DIR) / "reference" / "mx" / "questionnaires" / "reintegracion_v1.yaml"


def _choices():
    return [
        {"value": "x", "score": 1, "label": "x"},
        {"value": "y", "score": 0.5, "label": "y"},
        {"value": "z", "score": 0, "label": "z"},
        {"value": "pn", "label": "prefiere no responder"},
    ]


# Two dimensions with unequal weights and unequal indicator weights: expected values in the
# tests are computed by hand from these numbers.
TEST_SURVEY = {
    "code": "rss_test",
    "version": 1,
    "title": {"es": "Prueba", "en": "Test"},
    "dimensions": {"A": {"weight": 2, "label": "A"}, "B": {"weight": 1, "label": "B"}},
    "min_answered_share": 0.5,
    "sections": [
        {
            "name": "s",
            "questions": [
                {
                    "name": "a1",
                    "type": "select_one",
                    "label": "a1",
                    "choices": _choices(),
                    "indicator": {"dimension": "A", "weight": 3},
                },
                {
                    "name": "a2",
                    "type": "select_one",
                    "label": "a2",
                    "choices": _choices(),
                    "indicator": {"dimension": "A", "weight": 1},
                },
                {
                    "name": "b1",
                    "type": "select_one",
                    "label": "b1",
                    "choices": _choices(),
                    "indicator": {"dimension": "B"},
                },
                {
                    "name": "b2",
                    "type": "select_one",
                    "label": "b2",
                    "choices": _choices(),
                    "indicator": {"dimension": "B"},
                },
                {"name": "note", "type": "text", "label": "note"},
            ],
        }
    ],
}


def test_survey() -> dict:
    return copy.deepcopy(TEST_SURVEY)


test_survey.__test__ = False  # not a test


def make_survey_questionnaire():
    return make_questionnaire(yaml.safe_load(SURVEY_FILE.read_text(encoding="utf-8")))
