"""Data rights (ARCO): deadlines in working days, what each granted request does, the
supervisor's scope, and that a cancelled record disappears from every search."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import DomainError
from retorno.identity.matching import MatchQuery, person_match_candidates
from retorno.identity.models import Person
from retorno.identity.selectors import person_list_visible, person_search
from retorno.reception.models import RepatriationEvent
from retorno.rights import services
from retorno.rights.config import add_working_days
from retorno.rights.models import DataRightsRequest
from retorno.testing.factories import make_event, make_person, make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tij = make_point("TIJ")
    person = make_person(
        given_names="Rosa",
        first_surname="Vega",
        second_surname="Luna",
        sex="M",
        birth_date=date(1990, 5, 17),
        phone_mx="6641234567",
    )
    make_event(person=person, point=tij)
    return {
        "person": person,
        "officer": make_user(Role.RECEPTION_OFFICER, point=tij),
        "supervisor": make_user(Role.SUPERVISOR, point=tij),
        "other_supervisor": make_user(Role.SUPERVISOR, point=make_point("MXL")),
    }


def test_the_deadline_counts_working_days_only():
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday -> Monday
    assert add_working_days(date(2026, 12, 21), 5) == date(2026, 12, 29)  # over Christmas (a holiday)
    assert add_working_days(date(2026, 12, 2), 20) == date(2026, 12, 31)


def test_filing_checks_its_input_and_refuses_a_duplicate(world):
    person = world["person"]
    request = services.request_file_by_person(person=person, kind="access")
    assert (
        request.due_on == add_working_days(timezone.localdate(), 20)
        and request.filed_by == f"persona:{person.pk}"
    )
    with pytest.raises(DomainError):
        services.request_file_by_person(person=person, kind="access")
    with pytest.raises(ValidationError) as exc:
        services.request_file_by_person(person=person, kind="opposition", purpose="everything")
    assert "purpose" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.request_file_by_person(person=person, kind="rectification")


def test_access_produces_the_whole_record_with_who_read_it(world):
    person, supervisor = world["person"], world["supervisor"]
    AuditEntry.objects.create(
        user=world["officer"],
        username="oficial.x",
        role="reception_officer",
        action="view",
        object_type="identity.person",
        person_id=person.pk,
    )
    request = services.request_file(user=world["officer"], person_id=person.pk, kind="access")
    services.request_decide(user=supervisor, request=request, grant=True)
    request.refresh_from_db()
    import json

    record = json.loads(bytes(request.package_json))
    assert record["person"]["given_names"] == "Rosa" and len(record["arrivals"]) == 1
    assert "oficial.x" in {row["who"] for row in record["who_accessed"]}
    assert bytes(request.package_pdf).startswith(b"%PDF")


def test_rectification_is_applied_as_a_correction_with_history(world):
    person = world["person"]
    request = services.request_file_by_person(
        person=person, kind="rectification", changes={"second_surname": "Lunar"}
    )
    services.request_decide(user=world["supervisor"], request=request, grant=True)
    person.refresh_from_db()
    assert person.second_surname == "Lunar"
    entry = AuditEntry.objects.filter(object_type="identity.person", action="update").latest("at")
    assert f"ARCO #{request.pk}" in str(entry.detail)


def test_a_cancelled_record_no_longer_appears_in_any_search(world):
    person, officer = world["person"], world["officer"]
    query = MatchQuery(
        given_names="Rosa", first_surname="Vega", second_surname="Luna", sex="M", birth_date=date(1990, 5, 17)
    )
    assert person_match_candidates(query) and person_search(officer, text="Rosa Vega").exists()
    request = services.request_file_by_person(person=person, kind="cancellation")
    services.request_decide(user=world["supervisor"], request=request, grant=True, note="Procede")
    assert not person_list_visible(officer).filter(pk=person.pk).exists()
    assert not person_search(officer, text="Rosa Vega").exists()
    assert not person_match_candidates(query)
    assert not person_list_visible(make_user(Role.SUPERVISOR)).filter(pk=person.pk).exists()  # national too
    from retorno.portal.models import OutboundMessage
    from retorno.portal.services import sign_in_start

    sign_in_start(identifier="6641234567")
    assert not OutboundMessage.objects.exists()
    assert Person.objects.get(pk=person.pk).blocked_at is not None  # kept (retention anonymises later)


def test_opposition_to_follow_up_contact_stops_messages_and_pending_contacts(world):
    from retorno.followup.models import FollowUp

    person = world["person"]
    Person.objects.filter(pk=person.pk).update(contact_by_message=True)
    event = RepatriationEvent.objects.get(person=person)
    followup = FollowUp.objects.create(person=person, event=event, months=1, due_date=timezone.localdate())
    request = services.request_file_by_person(person=person, kind="opposition", purpose="followup_contact")
    services.request_decide(user=world["supervisor"], request=request, grant=True)
    person.refresh_from_db()
    followup.refresh_from_db()
    assert not person.contact_by_message and person.messages_opted_out_at is not None
    assert followup.status == FollowUp.Status.CANCELLED


def test_only_the_persons_supervisor_decides_and_a_denial_says_why(world):
    request = services.request_file_by_person(person=world["person"], kind="access")
    with pytest.raises(DataRightsRequest.DoesNotExist):  # another point's supervisor: not found
        services.request_decide(user=world["other_supervisor"], request=request, grant=True)
    from retorno.core.exceptions import AccessDenied

    with pytest.raises(AccessDenied):
        services.request_decide(user=world["officer"], request=request, grant=True)
    with pytest.raises(ValidationError):
        services.request_decide(user=world["supervisor"], request=request, grant=False)
    services.request_decide(
        user=world["supervisor"], request=request, grant=False, note="Ya se entregó una copia."
    )
    with pytest.raises(DomainError):
        services.request_decide(user=world["supervisor"], request=request, grant=True)


def test_the_queue_and_the_portal(client, world):
    person = world["person"]
    request = services.request_file_by_person(person=person, kind="access")
    client.force_login(world["supervisor"])
    assert f"#{request.pk}" in client.get("/rights/").content.decode()
    client.post(f"/rights/{request.pk}/decide/", {"grant": "1", "note": ""})
    assert client.get(f"/rights/{request.pk}/record.pdf").content.startswith(b"%PDF")
    client.force_login(world["other_supervisor"])
    assert client.get(f"/rights/{request.pk}/").status_code == 404


def test_supervisors_are_reminded_once_before_the_deadline(world, mailoutbox):
    world["supervisor"].email = "supervisora@example.org"
    world["supervisor"].save()
    world["other_supervisor"].email = "otra@example.org"
    world["other_supervisor"].save()
    request = services.request_file_by_person(person=world["person"], kind="access")
    assert services.deadline_reminders() == 0  # 20 working days away
    DataRightsRequest.objects.filter(pk=request.pk).update(due_on=timezone.localdate())
    assert services.deadline_reminders() == 1 and services.deadline_reminders() == 0
    assert [m.to for m in mailoutbox] == [["supervisora@example.org"]] and f"#{request.pk}" in mailoutbox[
        0
    ].subject


def test_opposition_to_extra_statistics_takes_the_persons_surveys_out_of_the_scores(world):
    from django.core.management import call_command

    from retorno.followup.services import survey_submit
    from retorno.statistics.registry import Period, compute

    call_command("load_reference", verbosity=0)
    person, officer = world["person"], world["officer"]
    survey_submit(
        user=officer, person=person, answers={"employment": "formal", "income_sufficiency": "agree"}
    )
    today = timezone.localdate()
    period = Period(today.replace(day=1), today)
    assert compute("reintegration_score_mean", period) is not None
    before_events = compute("events_total", Period(date(2026, 1, 1), today))
    request = services.request_file_by_person(person=person, kind="opposition", purpose="statistics_extended")
    services.request_decide(user=world["supervisor"], request=request, grant=True)
    assert compute("reintegration_score_mean", period) is None
    assert (
        compute("events_total", Period(date(2026, 1, 1), today)) == before_events
    )  # the legal minimum stays
