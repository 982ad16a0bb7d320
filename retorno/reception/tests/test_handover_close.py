from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import DomainError
from retorno.reception.models import ChildProtectionHandover, RepatriationEvent
from retorno.reception.services import (
    MSG_CLOSE_NEEDS_HANDOVER,
    MSG_EVENT_ALREADY_CLOSED,
    MSG_HANDOVER_BEFORE_ARRIVAL,
    MSG_HANDOVER_EXISTS,
    MSG_HANDOVER_NAME_REQUIRED,
    MSG_HANDOVER_NOT_MINOR,
    HandoverData,
    event_close,
    family_group_for_event,
    handover_record,
)
from retorno.reception.tests.factories import make_desk, register, register_minor
from retorno.testing.factories import make_point, make_user

pytestmark = pytest.mark.django_db


def dif(**kw) -> HandoverData:
    defaults = dict(
        received_by_name="Lic. Mónica Treviño",
        received_by_position="Trabajadora social",
        handed_over_at=timezone.now() - timedelta(minutes=5),
    )
    defaults.update(kw)
    return HandoverData(**defaults)


def test_unaccompanied_minor_cannot_be_closed_before_handover():
    point, officer = make_desk()
    event = register_minor(officer, point)
    with pytest.raises(DomainError) as exc:
        event_close(user=officer, event_id=event.pk)
    assert exc.value.message == MSG_CLOSE_NEEDS_HANDOVER
    event.refresh_from_db()
    assert event.status == RepatriationEvent.Status.OPEN


def test_handover_then_close_succeeds_and_is_audited():
    point, officer = make_desk()
    event = register_minor(officer, point)
    handover = handover_record(user=officer, event_id=event.pk, data=dif())
    assert handover.agency == "DIF" and handover.recorded_by == officer
    closed = event_close(user=officer, event_id=event.pk)
    assert closed.status == RepatriationEvent.Status.CLOSED and closed.closed_by == officer
    actions = list(AuditEntry.objects.filter(person_id=event.person_id).values_list("object_type", "action"))
    assert ("reception.childprotectionhandover", "create") in actions
    assert ("reception.repatriationevent", "update") in actions


def test_adult_event_closes_without_handover_but_not_twice():
    point, officer = make_desk()
    event = register(officer, point)
    event_close(user=officer, event_id=event.pk)
    with pytest.raises(DomainError) as exc:
        event_close(user=officer, event_id=event.pk)
    assert exc.value.message == MSG_EVENT_ALREADY_CLOSED


def test_handover_refused_for_adult():
    point, officer = make_desk()
    event = register(officer, point)
    with pytest.raises(DomainError) as exc:
        handover_record(user=officer, event_id=event.pk, data=dif())
    assert exc.value.message == MSG_HANDOVER_NOT_MINOR
    assert not ChildProtectionHandover.objects.exists()


def test_second_handover_refused():
    point, officer = make_desk()
    event = register_minor(officer, point)
    handover_record(user=officer, event_id=event.pk, data=dif())
    with pytest.raises(DomainError) as exc:
        handover_record(user=officer, event_id=event.pk, data=dif(received_by_name="Otra"))
    assert exc.value.message == MSG_HANDOVER_EXISTS


def test_handover_needs_receiver_name_and_time_after_arrival():
    point, officer = make_desk()
    event = register_minor(officer, point)
    with pytest.raises(ValidationError) as exc:
        handover_record(
            user=officer,
            event_id=event.pk,
            data=dif(received_by_name="   ", handed_over_at=event.arrived_at - timedelta(hours=1)),
        )
    assert exc.value.message_dict["received_by_name"] == [MSG_HANDOVER_NAME_REQUIRED]
    assert exc.value.message_dict["handed_over_at"] == [MSG_HANDOVER_BEFORE_ARRIVAL]
    assert not ChildProtectionHandover.objects.exists()


def test_officer_of_other_point_cannot_close_or_hand_over():
    point, officer = make_desk()
    event = register_minor(officer, point)
    stranger = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    with pytest.raises(RepatriationEvent.DoesNotExist):
        handover_record(user=stranger, event_id=event.pk, data=dif())
    with pytest.raises(RepatriationEvent.DoesNotExist):
        event_close(user=stranger, event_id=event.pk)


def test_child_protection_officer_of_the_point_records_handover():
    point, officer = make_desk()
    event = register_minor(officer, point)
    opi = make_user(Role.CHILD_PROTECTION, point=point)
    handover_record(user=opi, event_id=event.pk, data=dif())
    assert event_close(user=opi, event_id=event.pk).status == "closed"


def test_analyst_and_caseworker_cannot_close():
    point, officer = make_desk()
    event = register(officer, point)
    for role in (Role.ANALYST, Role.CASEWORKER):
        with pytest.raises(PermissionDenied):
            event_close(user=make_user(role), event_id=event.pk)


def test_family_group_is_created_once_and_shared():
    point, officer = make_desk()
    first = register(officer, point)
    group = family_group_for_event(user=officer, event_id=first.pk)
    second = register(officer, point, given_names="Lucía", sex="M", family_group=group)
    assert family_group_for_event(user=officer, event_id=second.pk) == group
    first.refresh_from_db()
    assert first.family_group == group == second.family_group
