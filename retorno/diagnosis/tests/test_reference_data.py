from pathlib import Path

import pytest
import yaml

from retorno.core.reference_loading import ReferenceDataError
from retorno.diagnosis import services
from retorno.diagnosis.models import Questionnaire
from retorno.diagnosis.reference_data import load, load_questionnaire_file
from retorno.diagnosis.tests.factories import REAL_FILE, VALID_ANSWERS
from retorno.testing.factories import make_event, make_user

pytestmark = pytest.mark.django_db


def test_loading_twice_creates_one_version():
    country = REAL_FILE.parent.parent
    load(country, lambda m: None)
    load(country, lambda m: None)
    versions = len(list(REAL_FILE.parent.glob("diagnostico_v*.yaml")))
    assert Questionnaire.objects.filter(code="diagnostico").count() == versions


def test_new_version_file_adds_a_row_and_changed_answered_version_is_refused(tmp_path: Path):
    q1, created = load_questionnaire_file(REAL_FILE)
    assert created
    event = make_event()
    officer = make_user(point=event.reception_point)
    services.diagnosis_create(user=officer, person=event.person, answers=VALID_ANSWERS)
    data = yaml.safe_load(REAL_FILE.read_text(encoding="utf-8"))
    data["title"]["es"] = "Cambiado"
    changed = tmp_path / "diagnostico_v1.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="raise 'version'"):
        load_questionnaire_file(changed)
    data["version"] = 2
    v2 = tmp_path / "diagnostico_v2.yaml"
    v2.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    q2, created = load_questionnaire_file(v2)
    assert created and q2.version == 2
    q1.refresh_from_db()
    assert q1.definition["title"]["es"] == "Diagnóstico de necesidades"


def test_broken_file_is_refused_with_its_name(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "code: x\nversion: 1\ntitle: x\nsections: [{name: s, questions: [{name: A, type: text, label: x}]}]\n"
    )
    with pytest.raises(ReferenceDataError, match="bad.yaml"):
        load_questionnaire_file(bad)
