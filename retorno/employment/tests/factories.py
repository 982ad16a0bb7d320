"""Employment test factories: the job bank, occupations, vacancies and consenting job seekers."""

from datetime import timedelta

from django.utils import timezone

from retorno.accounts.models import Role
from retorno.directory.models import Institution
from retorno.employment.models import Occupation, Vacancy, WorkProfile
from retorno.employment.rules import programmes
from retorno.referrals.models import Consent
from retorno.testing.factories import (
    make_event,
    make_institution,
    make_person,
    make_point,
    make_state,
    make_user,
)


def make_job_bank():
    """The pack's job bank institution and one of its caseworkers."""
    bank = make_institution(programmes().job_bank_institution, name="Servicio Nacional de Empleo")
    return bank, make_user(Role.CASEWORKER, institution=bank)


def make_occupation(
    code: str = "5111", trade: str = "hospitality", isco: str = "5120", name: str = "Cocineros"
) -> Occupation:
    occupation, _ = Occupation.objects.get_or_create(
        code=code, defaults={"trade": trade, "isco": isco, "name": name}
    )
    return occupation


def make_employer(code: str = "EMP-1", name: str = "Hoteles del Norte") -> Institution:
    return make_institution(code, name=name, order=Institution.Order.PRIVATE)


def make_vacancy(**kw) -> Vacancy:
    today = timezone.localdate()
    values = dict(
        identifier=Vacancy.new_identifier(),
        title="Cocinero(a)",
        occupation=kw.pop("occupation", None) or make_occupation(),
        state=kw.pop("state", None) or make_state("BC", "Baja California"),
        municipality="Tijuana",
        date_posted=today - timedelta(days=2),
        valid_through=today + timedelta(days=30),
        employer=kw.pop("employer", None) or make_employer(),
    )
    values.update(kw)
    return Vacancy.objects.create(**values)


def give_consent(person, bank, *, by=None) -> Consent:
    return Consent.objects.create(
        person=person,
        institution=bank,
        purpose=Consent.Purpose.JOB_MATCHING,
        method="signed",
        given_on=timezone.localdate(),
    )


def make_seeker(
    bank,
    *,
    point=None,
    consent: bool = True,
    arrived_days_ago: int = 5,
    profile: dict | None = None,
    **person_kw,
):
    """A returnee with an arrival, a work profile and (by default) consent to the job bank."""
    point = point or make_point("TIJ", state=make_state("BC", "Baja California"))
    person = make_person(**person_kw)
    event = make_event(
        person=person, point=point, arrived_at=timezone.now() - timedelta(days=arrived_days_ago)
    )
    if consent:
        give_consent(person, bank)
    values = dict(
        trade="hospitality",
        occupation=make_occupation(),
        english_level="basic",
        education="secondary",
        experience_years=3,
        preferred_state=make_state("BC", "Baja California"),
        preferred_municipality="Tijuana",
        looking_for_work=True,
    )
    values.update(profile or {})
    WorkProfile.objects.create(person=person, **values)
    return person, event
