from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import DomainError
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reception.services import arrival_register
from retorno.reception.tests.factories import arrival_data as arrival
from retorno.testing.factories import make_point, make_state, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    make_state("MN", "Michoacán")
    point = make_point("TIJ")
    return point, make_user(Role.RECEPTION_OFFICER, point=point)


def test_new_arrival_creates_person_and_event_and_audits_both(desk):
    point, officer = desk
    event = arrival_register(user=officer, data=arrival(point))
    assert event.person.key_first_surname == "HERNANDEZ"
    assert event.age_at_arrival == timezone.now().year - 1988 - (
        timezone.now().date() < date(timezone.now().year, 3, 9)
    )
    assert event.origin_state.code == "MN"
    actions = set(AuditEntry.objects.filter(person_id=event.person_id).values_list("object_type", "action"))
    assert actions == {("identity.person", "create"), ("reception.repatriationevent", "create")}


def test_repeat_returnee_gets_new_event_on_existing_person(desk):
    point, officer = desk
    first = arrival_register(
        user=officer, data=arrival(point, arrived_at=timezone.now() - timedelta(days=90))
    )
    second = arrival_register(
        user=officer, data=arrival(point, phone_mx="6641234567"), existing_person_id=first.person_id
    )
    assert second.person_id == first.person_id
    assert Person.objects.count() == 1 and RepatriationEvent.objects.count() == 2
    assert Person.objects.get().phone_mx == "6641234567"


def test_double_entry_within_twelve_hours_is_refused(desk):
    point, officer = desk
    first = arrival_register(user=officer, data=arrival(point))
    with pytest.raises(DomainError):
        arrival_register(user=officer, data=arrival(point), existing_person_id=first.person_id)


def test_bad_input_reports_every_field_and_saves_nothing(desk):
    point, officer = desk
    bad = arrival(
        point,
        given_names="  ",
        first_surname="",
        second_surname="",
        sex="X",
        birth_date=date.today() + timedelta(days=3),
        curp="ABC",
    )
    with pytest.raises(ValidationError) as exc:
        arrival_register(user=officer, data=bad)
    assert {"given_names", "first_surname", "sex", "birth_date", "curp"} <= set(exc.value.message_dict)
    assert not Person.objects.exists() and not RepatriationEvent.objects.exists()


def test_invalid_curp_checksum_is_refused(desk):
    point, officer = desk
    with pytest.raises(ValidationError) as exc:
        arrival_register(user=officer, data=arrival(point, curp="BOXW310820HNERXN08"))
    assert "dígito verificador" in exc.value.message_dict["curp"][0]


def test_adult_cannot_be_unaccompanied_minor(desk):
    point, officer = desk
    with pytest.raises(ValidationError) as exc:
        arrival_register(user=officer, data=arrival(point, unaccompanied_minor=True))
    assert "unaccompanied_minor" in exc.value.message_dict


def test_officer_cannot_register_at_another_point(desk):
    _, officer = desk
    with pytest.raises(PermissionDenied):
        arrival_register(user=officer, data=arrival(make_point("MXL")))
    assert not Person.objects.exists()


def test_analyst_cannot_register(desk):
    point, _ = desk
    with pytest.raises(PermissionDenied):
        arrival_register(user=make_user(Role.ANALYST), data=arrival(point))
