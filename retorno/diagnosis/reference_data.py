"""Loads questionnaire versions from data/reference/<country>/questionnaires/*.yaml and checks
the vulnerability rules file, so a broken file fails `retorno load_reference`, not a page."""

from collections.abc import Callable
from pathlib import Path

import yaml

from retorno.core.reference_loading import ReferenceDataError
from retorno.diagnosis import rules
from retorno.diagnosis.models import Questionnaire
from retorno.diagnosis.questionnaire import DefinitionError, validate_definition


def load_questionnaire_file(path: Path) -> tuple[Questionnaire, bool]:
    """Create the (code, version) row from one file; (row, created).

    Re-loading an unchanged file does nothing. A changed file under a version that already has
    answers is refused: old answers must keep rendering with the text they were given under.
    """
    try:
        definition = validate_definition(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    except (yaml.YAMLError, DefinitionError) as exc:
        raise ReferenceDataError(f"{path.name}: {exc}") from exc
    existing = Questionnaire.objects.filter(code=definition["code"], version=definition["version"]).first()
    if existing is None:
        return (
            Questionnaire.objects.create(
                code=definition["code"],
                version=definition["version"],
                definition=definition,
                source_file=path.name,
            ),
            True,
        )
    if existing.definition != definition:
        if existing.diagnoses.exists() or existing.surveys.exists():
            raise ReferenceDataError(
                f"{path.name}: version {definition['version']} of '{definition['code']}' already has "
                "answers and the file changed; copy it and raise 'version' instead"
            )
        existing.definition = definition
        existing.source_file = path.name
        existing.save()
    return existing, False


def load(country_dir: Path, log: Callable[[str], None]) -> None:
    folder = country_dir / "questionnaires"
    created = 0
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    for path in files:
        created += load_questionnaire_file(path)[1]
    log(f"  questionnaires: {len(files)} file(s), {created} new version(s)")
    rules_path = country_dir / "vulnerability_rules.yaml"
    if rules_path.exists():
        try:
            data = rules.load_rules(rules_path)
        except rules.RulesError as exc:
            raise ReferenceDataError(str(exc)) from exc
        log(
            f"  vulnerability rules: {sum(len(data.get(k) or []) for k in ('flags', 'priority', 'needs'))} rules checked"
        )
