"""Factories for referral tests: a person in a point's scope, consent, referrals in any state."""

from datetime import timedelta

from django.utils import timezone

from retorno.directory.tests.factories import make_service
from retorno.referrals.models import Consent, Referral, ReferralTransition, Status
from retorno.testing.factories import make_event, make_person, make_point


def make_person_at(point=None, **kw):
    """A person with an arrival at `point` (so the point's officers see them)."""
    person = make_person(**kw)
    make_event(person=person, point=point or make_point())
    return person


def make_consent(person, institution, purpose=Consent.Purpose.REFERRAL, **kw) -> Consent:
    defaults = dict(method=Consent.Method.VERBAL, given_on=timezone.localdate())
    defaults.update(kw)
    return Consent.objects.create(person=person, institution=institution, purpose=purpose, **defaults)


def make_referral(person=None, service=None, status=Status.SENT, point=None, **kw) -> Referral:
    """A referral already in `status`, with due dates as if it had followed the loop just now."""
    service = service or make_service()
    point = point or make_point()
    person = person or make_person_at(point)
    now = timezone.now()
    values = dict(
        person=person,
        service=service,
        institution=service.institution,
        reception_point=point,
        status=status,
        shared_data={"full_name": person.full_name},
    )
    if status != Status.DRAFT:
        values["sent_at"] = now
        values["response_due_at"] = now + timedelta(days=service.response_days)
    if status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED, Status.NO_SHOW):
        values["responded_at"] = now
        values["outcome_due_at"] = now + timedelta(days=service.outcome_days)
    if status == Status.REJECTED:
        values["rejection_reason"] = "Sin cupo"
    if status == Status.COMPLETED:
        values["outcome"] = "Atendida"
    values.update(kw)
    referral = Referral.objects.create(**values)
    ReferralTransition.objects.create(referral=referral, from_status="", to_status=status)
    return referral
