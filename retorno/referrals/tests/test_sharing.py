"""What a referral shares: diagnosis-derived fields from the latest complete diagnosis, health
answers only to health services, drafts never."""

import pytest

from retorno.accounts.models import Role
from retorno.diagnosis.services import diagnosis_create
from retorno.diagnosis.tests.factories import VALID_ANSWERS, make_questionnaire
from retorno.directory.tests.factories import make_service
from retorno.referrals import services
from retorno.referrals.tests.factories import make_consent, make_person_at
from retorno.testing.factories import make_institution, make_point, make_user

pytestmark = pytest.mark.django_db

DIAGNOSIS_KEYS = ["trade", "years_experience", "education_level", "health_conditions"]


@pytest.fixture
def world():
    make_questionnaire()
    point = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    person = make_person_at(point)
    return dict(officer=officer, person=person)


def _send(world, *, is_health, code="svc"):
    inst = make_institution(code.upper())
    service = make_service(inst, code=code, is_health=is_health, shared_fields=["full_name", *DIAGNOSIS_KEYS])
    make_consent(world["person"], inst)
    return services.referral_create(user=world["officer"], person=world["person"], service=service, send=True)


def _diagnose(world, **answers):
    return diagnosis_create(
        user=world["officer"], person=world["person"], answers={**VALID_ANSWERS, **answers}
    )


def test_trade_experience_and_education_come_from_the_diagnosis_as_labels(world):
    _diagnose(world)
    referral = _send(world, is_health=False)
    assert referral.shared_data["trade"] == "Construcción"
    assert referral.shared_data["years_experience"] == 6
    assert referral.shared_data["education_level"] == "Secundaria"
    assert "health_conditions" not in referral.shared_data


def test_a_trade_named_by_the_person_is_shared_as_written(world):
    _diagnose(world, trade="other", trade_other="Tapicería")
    assert _send(world, is_health=False).shared_data["trade"] == "Tapicería"


def test_health_answers_reach_a_health_service_only(world):
    _diagnose(
        world,
        needs_medical_now="true",
        chronic_illness="yes",
        has_disability="yes",
        disability_type=["visual"],
    )
    health = _send(world, is_health=True, code="salud")
    other = _send(world, is_health=False, code="empleo")
    assert health.shared_data["health_conditions"] == [
        "Necesita atención médica ahora",
        "Enfermedad crónica o grave",
        "Discapacidad: Visual",
    ]
    assert "health_conditions" not in other.shared_data
    assert "Visual" not in str(other.shared_data)


def test_without_a_complete_diagnosis_the_diagnosis_fields_are_empty(world):
    diagnosis_create(
        user=world["officer"],
        person=world["person"],
        answers={"consent_given": "true", "trade": "care"},
        draft=True,
    )
    shared = _send(world, is_health=True).shared_data
    assert [shared[key] for key in DIAGNOSIS_KEYS] == ["", "", "", []]


def test_the_latest_complete_diagnosis_wins(world):
    _diagnose(world, trade="agriculture")
    _diagnose(world, trade="transport", experience_years="20")
    shared = _send(world, is_health=False).shared_data
    assert (shared["trade"], shared["years_experience"]) == ("Transporte, chofer", 20)
