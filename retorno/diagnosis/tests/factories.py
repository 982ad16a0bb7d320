"""Factories for diagnosis tests: questionnaires from the real file or a small inline one."""

import copy
from pathlib import Path

import yaml
from django.conf import settings

from retorno.diagnosis.models import Questionnaire
from retorno.diagnosis.questionnaire import validate_definition

REAL_FILE = Path(settings.DATA_DIR) / "reference" / "mx" / "questionnaires" / "diagnostico_v1.yaml"

# Every question type, a choice list, relevance, a cross-field constraint and a score.
SMALL = {
    "code": "mini",
    "version": 1,
    "title": {"es": "Mini", "en": "Mini"},
    "choice_lists": {
        "freq": [
            {"value": "often", "score": 2, "label": {"es": "Seguido", "en": "Often"}},
            {"value": "never", "score": 0, "label": {"es": "Nunca", "en": "Never"}},
            {"value": "prefer_not", "label": {"es": "Prefiere no responder", "en": "Prefers not to answer"}},
        ]
    },
    "sections": [
        {
            "name": "main",
            "label": {"es": "Principal", "en": "Main"},
            "questions": [
                {
                    "name": "works",
                    "type": "boolean",
                    "required": True,
                    "label": {"es": "¿Trabaja?", "en": "Works?"},
                },
                {
                    "name": "trade",
                    "type": "select_one",
                    "required": True,
                    "relevant": {"field": "works", "op": "eq", "value": True},
                    "label": {"es": "Oficio", "en": "Trade"},
                    "choices": [
                        {"value": "construction", "label": {"es": "Construcción", "en": "Construction"}},
                        {"value": "farm", "label": {"es": "Campo", "en": "Farm"}},
                    ],
                },
                {
                    "name": "langs",
                    "type": "select_multiple",
                    "exclusive": ["none"],
                    "label": {"es": "Idiomas", "en": "Languages"},
                    "choices": [
                        {"value": "es", "label": {"es": "Español", "en": "Spanish"}},
                        {"value": "en", "label": {"es": "Inglés", "en": "English"}},
                        {"value": "none", "label": {"es": "Ninguno", "en": "None"}},
                    ],
                },
                {
                    "name": "children",
                    "type": "integer",
                    "min": 0,
                    "max": 20,
                    "label": {"es": "Hijos", "en": "Children"},
                },
                {
                    "name": "children_us",
                    "type": "integer",
                    "min": 0,
                    "label": {"es": "Hijos en EUA", "en": "Children in US"},
                    "constraints": [
                        {
                            "condition": {"field": "children_us", "op": "lte", "value_field": "children"},
                            "message": {
                                "es": "No más que el total de hijos.",
                                "en": "No more than all children.",
                            },
                        }
                    ],
                },
                {
                    "name": "code",
                    "type": "text",
                    "max_length": 10,
                    "pattern": "[A-Z]{3}[0-9]*",
                    "label": {"es": "Código", "en": "Code"},
                },
                {
                    "name": "arrived",
                    "type": "date",
                    "max": "today",
                    "label": {"es": "Llegada", "en": "Arrival"},
                },
                {"name": "f1", "type": "select_one", "choices": "freq", "label": {"es": "F1", "en": "F1"}},
                {"name": "f2", "type": "select_one", "choices": "freq", "label": {"es": "F2", "en": "F2"}},
            ],
        }
    ],
    "scores": [{"name": "ftotal", "sum": ["f1", "f2"]}],
}


def small_definition() -> dict:
    return validate_definition(copy.deepcopy(SMALL))


def real_definition(path: Path = REAL_FILE) -> dict:
    return validate_definition(yaml.safe_load(path.read_text(encoding="utf-8")))


def make_questionnaire(definition: dict | None = None, **overrides) -> Questionnaire:
    definition = copy.deepcopy(definition or real_definition()) | overrides
    q, _ = Questionnaire.objects.get_or_create(
        code=definition["code"], version=definition["version"], defaults={"definition": definition}
    )
    return q


# A complete valid answer set for the real questionnaire (an adult man looking for a job).
VALID_ANSWERS = {
    "consent_given": "true",
    "education_level": "secondary",
    "spanish_level": "fluent",
    "english_level": "basic",
    "years_in_us": "8",
    "trade": "construction",
    "experience_years": "6",
    "has_certificates": "false",
    "work_plan": "job",
    "needs_medical_now": "false",
    "housing_destination": "family",
    "documents_held": ["consular_id"],
    "intention": "settle_origin",
}
