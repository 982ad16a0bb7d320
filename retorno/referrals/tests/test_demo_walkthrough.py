"""The issue-3 demo walkthrough (docs/walkthrough.md) is in the demo data, once, however often
`retorno load_demo` runs."""

import pytest
from django.core.management import call_command

from retorno.diagnosis.models import Diagnosis
from retorno.followup.models import ContactAttempt, ReintegrationSurvey
from retorno.identity.models import Person
from retorno.referrals.models import Consent, Referral, Status
from retorno.referrals.selectors import with_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command("load_demo", verbosity=0)
        yield
        from retorno.audit.integrity import audit_maintenance_allow_flush, audit_maintenance_end

        audit_maintenance_allow_flush()  # the audit trail refuses a flush but for a test teardown
        call_command("flush", interactive=False, verbosity=0)
        audit_maintenance_end()


@pytest.fixture
def guadalupe(demo):
    return Person.objects.get(given_names="Guadalupe", first_surname="Ramírez", second_surname="Soto")


def test_the_returnee_is_diagnosed_with_needs_once(guadalupe):
    diagnosis = Diagnosis.objects.get(person=guadalupe)
    assert diagnosis.status == Diagnosis.Status.COMPLETE
    assert {"employment", "health_care", "identity_documents"} <= set(diagnosis.needs)


def test_three_institutions_with_consent_one_completed_one_rejected_one_overdue(guadalupe):
    referrals = {r.service.code: r for r in with_overdue(Referral.objects.filter(person=guadalupe))}
    assert len(referrals) == 3
    done, rejected, late = (
        referrals["sne-repatriados-trabajando"],
        referrals["renapo-curp"],
        referrals["salud-atencion-medica"],
    )
    assert done.status == Status.COMPLETED and done.outcome
    assert rejected.status == Status.REJECTED and rejected.rejection_reason
    assert late.status == Status.SENT and late.overdue
    consents = Consent.objects.filter(person=guadalupe, purpose=Consent.Purpose.REFERRAL)
    assert {c.institution.code for c in consents} == {"STPS-SNE", "RENAPO", "SALUD"}
    # Diagnosis data reached the institutions, health data only the health service.
    assert done.shared_data["trade"] and done.shared_data["years_experience"] == 12
    assert late.shared_data["health_conditions"]


def test_followed_up_with_attempts_and_two_scored_surveys(guadalupe):
    surveys = ReintegrationSurvey.objects.filter(person=guadalupe).order_by("taken_on")
    assert [s.followup.months for s in surveys] == [1, 3]
    assert all(s.composite is not None for s in surveys)
    assert surveys[0].composite < surveys[1].composite
    assert ContactAttempt.objects.filter(followup__event__person=guadalupe).count() == 3
