"""The short self-completed survey a message link opens: the reintegration questionnaire's
questions named in messaging.yaml, in the person's language."""

from retorno.diagnosis import questionnaire as qn
from retorno.followup.selectors import survey_questionnaire_current
from retorno.portal.config import messaging


def self_questions() -> tuple[object, list[dict]]:
    """(questionnaire, [{name, label, choices: [(value, label)]}]) of the self-completed survey."""
    questionnaire = survey_questionnaire_current()
    wanted = messaging()["self_survey_questions"]
    definition = questionnaire.definition
    by_name = {q["name"]: q for q in qn.questions(definition)}
    shown = []
    for name in wanted:
        q = by_name.get(name)
        if q is None or q.get("type") != "select_one":
            continue
        shown.append(
            {
                "name": name,
                "label": qn.text(q.get("label")),
                "choices": [(c["value"], qn.text(c.get("label"))) for c in qn.choices_of(definition, q)],
            }
        )
    return questionnaire, shown
