import pytest
from django.core.exceptions import ValidationError

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import AccessDenied
from retorno.diagnosis import services
from retorno.diagnosis.models import Diagnosis
from retorno.diagnosis.profile import profile_for_person
from retorno.diagnosis.tests.factories import VALID_ANSWERS, make_questionnaire, real_definition
from retorno.testing.factories import make_event, make_person, make_point, make_user

pytestmark = pytest.mark.django_db


def _setup(**person_kw):
    point = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    event = make_event(person=make_person(**person_kw), point=point)
    return officer, event.person, event


def test_create_saves_clean_answers_derived_results_and_an_audit_entry():
    make_questionnaire()
    officer, person, event = _setup()
    d = services.diagnosis_create(user=officer, person=person, answers=VALID_ANSWERS)
    assert d.event == event and d.status == Diagnosis.Status.COMPLETE
    assert d.answers["years_in_us"] == 8
    assert {"employment", "identity_documents", "electoral_id", "skills_certification"} <= set(d.needs)
    assert d.priority == "normal"
    assert AuditEntry.objects.filter(
        action="create", object_type="diagnosis.diagnosis", person_id=person.pk
    ).exists()


def test_invalid_answers_save_nothing_and_say_which_question():
    make_questionnaire()
    officer, person, _ = _setup()
    with pytest.raises(ValidationError) as exc:
        services.diagnosis_create(user=officer, person=person, answers={**VALID_ANSWERS, "years_in_us": "-3"})
    assert "years_in_us" in exc.value.message_dict
    assert not Diagnosis.objects.exists() and not AuditEntry.objects.exists()


def test_answers_must_be_a_mapping():
    make_questionnaire()
    officer, person, _ = _setup()
    with pytest.raises(ValidationError):
        services.diagnosis_create(user=officer, person=person, answers=["x"])


def test_event_of_another_person_is_refused():
    make_questionnaire()
    officer, person, _ = _setup()
    other = make_event(point=officer.reception_point)
    with pytest.raises(ValidationError) as exc:
        services.diagnosis_create(user=officer, person=person, answers=VALID_ANSWERS, event=other)
    assert "event_id" in exc.value.message_dict


def test_caseworker_cannot_write_a_diagnosis():
    make_questionnaire()
    _, person, _ = _setup()
    with pytest.raises(AccessDenied):
        services.diagnosis_create(user=make_user(Role.CASEWORKER), person=person, answers=VALID_ANSWERS)


def test_draft_may_be_incomplete_and_is_completed_later():
    make_questionnaire()
    officer, person, _ = _setup()
    d = services.diagnosis_create(user=officer, person=person, answers={"consent_given": "true"}, draft=True)
    assert d.status == Diagnosis.Status.DRAFT
    with pytest.raises(ValidationError):
        services.diagnosis_update(user=officer, diagnosis=d, answers={"consent_given": "true"})
    d = services.diagnosis_update(user=officer, diagnosis=d, answers=VALID_ANSWERS)
    assert d.status == Diagnosis.Status.COMPLETE


def test_unaccompanied_minor_is_urgent_with_child_protection_need():
    make_questionnaire()
    point = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    from datetime import date

    minor = make_person(birth_date=date(2011, 3, 1))
    make_event(person=minor, point=point, unaccompanied_minor=True)
    d = services.diagnosis_create(user=officer, person=minor, answers=VALID_ANSWERS)
    assert d.priority == "urgent" and "unaccompanied_minor" in d.flags and "child_protection" in d.needs


def test_k6_total_is_computed_and_flags_distress():
    make_questionnaire()
    officer, person, _ = _setup()
    k6 = {f"k6_{n}": "most" for n in ("nervous", "hopeless", "restless", "depressed", "effort", "worthless")}
    d = services.diagnosis_create(user=officer, person=person, answers={**VALID_ANSWERS, **k6})
    assert d.scores == {"k6_total": 18}
    assert "mental_health_distress" in d.flags and "mental_health" in d.needs and d.priority == "high"


def test_profile_merges_the_latest_complete_diagnosis():
    make_questionnaire()
    officer, person, _ = _setup(sex="M", indigenous_language="")
    before = profile_for_person(person)
    assert "employment" not in before.needs and before.languages == set()
    answers = {
        **VALID_ANSWERS,
        "speaks_indigenous_language": "true",
        "indigenous_language": "mixteco",
        "documents_held": ["birth_certificate", "curp"],
        "sensitive_consent": "yes",
        "gender_violence": "yes",
    }
    services.diagnosis_create(user=officer, person=person, answers=answers)
    p = profile_for_person(person)
    assert {"employment", "victim_support", "electoral_id"} <= p.needs
    assert "identity_documents" not in p.needs and "no_documents" not in p.flags
    assert {"woman", "gbv_victim", "indigenous"} <= p.flags
    assert p.priority == "high"
    assert p.documents_held == {"birth_certificate", "curp"}
    assert p.languages == {"es", "en", "mixteco"}
    assert "gbv_victim" in p.reasons


def test_profile_ignores_drafts():
    make_questionnaire()
    officer, person, _ = _setup()
    services.diagnosis_create(
        user=officer, person=person, answers={"consent_given": "true", "work_plan": "job"}, draft=True
    )
    assert "employment" not in profile_for_person(person).needs


def test_old_answers_keep_their_questionnaire_version():
    v1 = make_questionnaire()
    officer, person, _ = _setup()
    old = services.diagnosis_create(user=officer, person=person, answers=VALID_ANSWERS)
    definition = real_definition()
    definition["version"] = 2
    definition["sections"][1]["questions"][0]["label"] = {"es": "Escolaridad (v2)", "en": "Schooling (v2)"}
    v2 = make_questionnaire(definition)
    new = services.diagnosis_create(user=officer, person=person, answers=VALID_ANSWERS)
    old.refresh_from_db()
    assert old.questionnaire == v1 and new.questionnaire == v2
    assert services.diagnosis_update(user=officer, diagnosis=old, answers=VALID_ANSWERS).questionnaire == v1
