"""The employment services: who may do what, the rules of applications, the support and its
budget, self-employment stages, certification, and what the audit trail keeps."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.employment import selectors, services
from retorno.employment.access import employment_persons_visible
from retorno.employment.models import (
    Application,
    Certification,
    CompetencyStandard,
    SupportPayment,
    WorkProfile,
)
from retorno.employment.tests.factories import make_job_bank, make_occupation, make_seeker, make_vacancy
from retorno.referrals.models import Consent
from retorno.testing.factories import (
    make_event,
    make_institution,
    make_person,
    make_point,
    make_state,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return make_job_bank()


@pytest.fixture
def tij():
    return make_point("TIJ", state=make_state("BC", "Baja California"))


def test_the_job_bank_sees_only_consenting_returnees_and_officers_their_points(bank, tij):
    inst, caseworker = bank
    yes, _ = make_seeker(inst, point=tij)
    no, _ = make_seeker(inst, point=tij, consent=False, given_names="Otro")
    elsewhere, _ = make_seeker(inst, point=make_point("MXL"), given_names="Lejano")
    assert set(employment_persons_visible(caseworker)) == {yes, elsewhere}
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    assert set(employment_persons_visible(officer)) == {yes, no}
    other = make_user(Role.CASEWORKER, institution=make_institution("RENAPO"))
    assert not employment_persons_visible(other).exists()
    assert not employment_persons_visible(make_user(Role.ANALYST)).exists()
    Consent.objects.filter(person=yes).update(withdrawn_at=timezone.now())
    assert set(employment_persons_visible(caseworker)) == {elsewhere}


def test_a_work_profile_is_proposed_from_the_diagnosis_and_its_corrections_keep_the_old_value(tij):
    from retorno.diagnosis.models import Diagnosis, Questionnaire

    person = make_person()
    make_event(
        person=person,
        point=tij,
        destination_state=make_state("MN", "Michoacán"),
        destination_municipality="Uruapan",
    )
    questionnaire = Questionnaire.objects.create(code="diagnostico", version=1, definition={"sections": []})
    Diagnosis.objects.create(
        person=person,
        questionnaire=questionnaire,
        answers={
            "trade": "construction",
            "experience_years": 12,
            "english_level": "basic",
            "education_level": "primary",
            "work_plan": "job",
        },
    )
    make_occupation("7121", "construction", "7112", "Albañiles")
    suggested = selectors.work_profile_suggested(person)
    assert suggested["trade"] == "construction" and suggested["occupation"].code == "7121"
    assert (suggested["preferred_state"].code, suggested["preferred_municipality"]) == ("MN", "Uruapan")
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    data = {k: getattr(v, "code", v) for k, v in suggested.items() if k != "source_diagnosis"}
    services.work_profile_save(user=officer, person=person, data=data)
    services.work_profile_save(user=officer, person=person, data={**data, "english_level": "fluent"})
    assert WorkProfile.objects.get(person=person).english_level == "fluent"
    entry = AuditEntry.objects.filter(object_type="employment.workprofile", action="update").get()
    assert entry.detail["changes"] == {"english_level": {"old": "basic", "new": "fluent"}}
    with pytest.raises(ValidationError) as exc:
        services.work_profile_save(
            user=officer, person=person, data={**data, "occupation": "0000", "english_level": "C2"}
        )
    assert set(exc.value.message_dict) == {"occupation", "english_level"}
    assert WorkProfile.objects.get(person=person).english_level == "fluent"


def test_an_application_needs_consent_a_fit_and_no_other_open_one(bank, tij):
    inst, caseworker = bank
    person, _ = make_seeker(inst, point=tij)
    vacancy = make_vacancy()
    application = services.application_create(user=caseworker, person=person, vacancy=vacancy)
    assert application.status == "sent" and application.shared_data["full_name"] == person.full_name
    with pytest.raises(DomainError, match="ya tiene una postulación"):
        services.application_create(user=caseworker, person=person, vacancy=vacancy)
    with pytest.raises(DomainError, match="no cumple la vacante: Pide inglés Fluido"):
        services.application_create(
            user=caseworker, person=person, vacancy=make_vacancy(english_level="fluent")
        )
    expired = make_vacancy(
        date_posted=timezone.localdate() - timedelta(days=40),
        valid_through=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(DomainError, match="cerrada o vencida"):
        services.application_create(user=caseworker, person=person, vacancy=expired)
    Consent.objects.filter(person=person).update(withdrawn_at=timezone.now())
    with pytest.raises(AccessDenied):  # no longer visible to the job bank at all
        services.application_create(user=caseworker, person=person, vacancy=make_vacancy())
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    with pytest.raises(AccessDenied):
        services.application_create(user=officer, person=person, vacancy=make_vacancy())


def test_the_loop_records_the_employers_answer_with_dates_and_refuses_a_step_back(bank, tij):
    inst, caseworker = bank
    person, _ = make_seeker(inst, point=tij)
    application = services.application_create(user=caseworker, person=person, vacancy=make_vacancy())
    services.application_transition(user=caseworker, application=application, to_status="interview")
    with pytest.raises(ValidationError) as exc:
        services.application_transition(user=caseworker, application=application, to_status="hired")
    assert "answer" in exc.value.message_dict
    services.application_transition(
        user=caseworker, application=application, to_status="hired", answer="Contratado"
    )
    application.refresh_from_db()
    assert (application.status, application.employer_answer, application.decided_on) == (
        "hired",
        "Contratado",
        timezone.localdate(),
    )
    assert [t.to_status for t in application.transitions.all()] == ["sent", "interview", "hired"]
    with pytest.raises(DomainError, match="No se puede pasar"):
        services.application_transition(user=caseworker, application=application, to_status="sent")


def _support_ready(bank, tij, **seeker):
    inst, caseworker = bank
    person, event = make_seeker(inst, point=tij, **seeker)
    return person, event, caseworker


def test_support_follows_the_rules_once_per_return(bank, tij):
    person, _event, caseworker = _support_ready(bank, tij)
    application = services.support_apply(user=caseworker, person=person)
    assert all(item["met"] for item in application.eligibility)
    with pytest.raises(DomainError, match="Ya hay una solicitud"):
        services.support_apply(user=caseworker, person=person)
    late, _e, _c = _support_ready(bank, tij, arrived_days_ago=45, given_names="Tardío")
    with pytest.raises(DomainError, match=r"Días desde el retorno: 45 \(máximo 30\)"):
        services.support_apply(user=caseworker, person=late)
    airport, _e, _c = _support_ready(bank, make_point("AICM"), given_names="Aéreo")
    with pytest.raises(DomainError, match="fuera de la zona del programa"):
        services.support_apply(user=caseworker, person=airport)


def test_payments_keep_to_the_caps_the_budget_and_one_per_concept(bank, tij):
    person, event, caseworker = _support_ready(bank, tij)
    application = services.support_apply(user=caseworker, person=person)
    with pytest.raises(DomainError, match="Solo se paga una solicitud aprobada"):
        services.support_pay(user=caseworker, application=application, concept="job_search", amount=100)
    services.support_decide(user=caseworker, application=application, approve=True)
    with pytest.raises(DomainError, match="No hay presupuesto"):
        services.support_pay(user=caseworker, application=application, concept="job_search", amount=1000)
    services.budget_set(user=caseworker, point=tij, month=timezone.localdate(), amount=Decimal("2000"))
    with pytest.raises(ValidationError, match="excede el tope"):
        services.support_pay(user=caseworker, application=application, concept="job_search", amount=1500.01)
    with pytest.raises(ValidationError):
        services.support_pay(user=caseworker, application=application, concept="bus_ticket", amount=10)
    services.support_pay(user=caseworker, application=application, concept="job_search", amount=1500)
    with pytest.raises(DomainError, match="no hay un segundo pago"):
        services.support_pay(user=caseworker, application=application, concept="job_search", amount=1)
    with pytest.raises(DomainError, match="no alcanza: quedan 500.00"):
        services.support_pay(user=caseworker, application=application, concept="lodging_food", amount=600)
    services.support_pay(user=caseworker, application=application, concept="lodging_food", amount=500)
    budget = selectors.budgets_with_balance("repatriados-trabajando")[0]
    assert (budget[1], budget[2]) == (Decimal("2000"), Decimal("0"))
    with pytest.raises(ValidationError):  # a budget cannot drop below what was paid
        services.budget_set(user=caseworker, point=tij, month=timezone.localdate(), amount=Decimal("10"))
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database says so too
        SupportPayment.objects.create(
            application=application,
            event=event,
            budget_id=budget[0].pk,
            concept="job_search",
            amount=1,
            paid_on=timezone.localdate(),
        )


def test_only_the_ministry_decides_and_a_rejection_needs_a_reason(bank, tij):
    person, _event, caseworker = _support_ready(bank, tij)
    application = services.support_apply(user=caseworker, person=person)
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    with pytest.raises(AccessDenied):
        services.support_decide(user=officer, application=application, approve=True)
    with pytest.raises(ValidationError):
        services.support_decide(user=caseworker, application=application, approve=False)
    services.support_decide(
        user=caseworker, application=application, approve=False, note="No presentó identificación"
    )
    application.refresh_from_db()
    assert application.status == "rejected"
    # A rejected application does not count as the return's one application.
    assert services.support_apply(user=caseworker, person=person).status == "submitted"


def test_self_employment_goes_through_its_stages_and_the_credit_needs_amount_and_provider(bank, tij):
    inst, caseworker = bank
    person, _ = make_seeker(inst, point=tij)
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    enrolment = services.self_employment_enrol(user=officer, person=person, activity="Taquería")
    with pytest.raises(DomainError):
        services.self_employment_enrol(user=officer, person=person)
    for outcome in ("Taller concluido", "Mentoría", "Plan aprobado"):
        enrolment = services.self_employment_advance(user=officer, enrolment=enrolment, outcome=outcome)
    assert enrolment.stage == "credit_application"
    with pytest.raises(ValidationError):
        services.self_employment_advance(user=officer, enrolment=enrolment, outcome="Crédito")
    enrolment = services.self_employment_advance(
        user=officer,
        enrolment=enrolment,
        outcome="Crédito otorgado",
        credit_amount="25000",
        credit_provider="Nacional Financiera",
    )
    assert (enrolment.stage, enrolment.status, enrolment.credit_amount) == (
        "operating",
        "operating",
        Decimal("25000.00"),
    )
    assert [s.stage for s in enrolment.stages.all()] == [
        "training",
        "mentoring",
        "business_plan",
        "credit_application",
        "operating",
    ]
    with pytest.raises(DomainError):
        services.self_employment_advance(user=officer, enrolment=enrolment, outcome="otra")


def test_a_certificate_goes_into_the_work_profile(bank, tij):
    inst, caseworker = bank
    person, _ = make_seeker(inst, point=tij)
    standard = CompetencyStandard.objects.create(
        code="EC0128", trade="hospitality", name="Preparación de alimentos"
    )
    certification = services.certification_request(
        user=caseworker, person=person, standard=standard, started_abroad=True
    )
    with pytest.raises(ValidationError):
        services.certification_result(
            user=caseworker, certification=certification, status=Certification.Status.COMPETENT
        )
    services.certification_result(
        user=caseworker, certification=certification, status="competent", certificate_number="C-123"
    )
    assert WorkProfile.objects.get(person=person).certifications == ["EC0128"]


def test_the_survey_reads_a_recorded_hire_when_the_person_gives_no_answer(bank, tij):
    from django.core.management import call_command

    from retorno.followup.services import survey_submit

    call_command("load_reference", verbosity=0)
    inst, caseworker = bank
    person, _ = make_seeker(inst, point=tij)
    application = services.application_create(user=caseworker, person=person, vacancy=make_vacancy())
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    searching = survey_submit(user=officer, person=person, answers={"income_sufficiency": "agree"})
    assert searching.answers["employment"] == "searching" and searching.sources == {
        "employment": "employment_record"
    }
    services.application_transition(user=caseworker, application=application, to_status="hired", answer="Sí")
    hired = survey_submit(
        user=officer, person=person, answers={"employment": "prefer_not", "income_sufficiency": "agree"}
    )
    assert (
        hired.answers["employment"] == "formal"
        and hired.dimension_scores["economic"] > searching.dimension_scores["economic"]
    )
    own = survey_submit(user=officer, person=person, answers={"employment": "informal"})
    assert own.answers["employment"] == "informal" and own.sources == {}  # what the person says stands
    assert Application.objects.get().status == "hired"
