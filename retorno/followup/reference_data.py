"""Checks followup.yaml and the scoring of the survey questionnaire(s) it names at load time."""

from collections.abc import Callable
from pathlib import Path

from retorno.core.reference_loading import ReferenceDataError, pack_file
from retorno.diagnosis.models import Questionnaire
from retorno.diagnosis.questionnaire import DefinitionError
from retorno.followup import config, scoring


def load(country_dir: Path, log: Callable[[str], None]) -> None:
    try:
        cfg = config.load(pack_file(country_dir, "followup.yaml"))
    except config.FollowupConfigError as exc:
        raise ReferenceDataError(str(exc)) from exc
    versions = list(Questionnaire.objects.filter(code=cfg["survey"]))
    if not versions:
        raise ReferenceDataError(f"followup.yaml: survey questionnaire '{cfg['survey']}' is not loaded")
    for q in versions:
        try:
            scoring.check(q.definition)
        except DefinitionError as exc:
            raise ReferenceDataError(f"{q.source_file or q.code}: {exc}") from exc
    months = ", ".join(str(s["months"]) for s in cfg["schedule"])
    log(f"  follow-up: schedule at {months} months; survey '{cfg['survey']}' ({len(versions)} version(s))")
