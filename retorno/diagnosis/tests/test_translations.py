from pathlib import Path

import polib
import pytest

APPS = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["diagnosis", "followup"])
def test_every_message_has_an_english_translation(app):
    po = polib.pofile(str(APPS / app / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []


@pytest.mark.django_db
def test_openapi_document_lists_diagnosis_and_followup_endpoints(client):
    doc = client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    assert "/api/diagnosis/persons/{person_id}/diagnoses" in paths
    assert "/api/followup/followups/{followup_id}/attempts" in paths
