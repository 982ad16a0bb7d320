from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import DomainError
from retorno.followup import config, services
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.followup.selectors import followup_list_overdue
from retorno.followup.tests.factories import make_survey_questionnaire
from retorno.testing.factories import make_event, make_person, make_point, make_user

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


def test_schedule_follows_the_configured_months_after_the_local_arrival_date():
    # 23:30 in Mexico City on Jan 31 is Feb 1 in UTC: the local date counts.
    event = make_event(arrived_at=datetime(2026, 1, 31, 23, 30, tzinfo=MX))
    followups = services.followup_schedule_for_event(event)
    assert [(f.months, f.due_date) for f in followups] == [
        (1, date(2026, 2, 28)),
        (3, date(2026, 4, 30)),
        (6, date(2026, 7, 31)),
        (12, date(2027, 1, 31)),
    ]


def test_schedule_is_idempotent_and_uses_a_custom_config():
    event = make_event()
    cfg = config.parse({"schedule": [{"months": 2}, {"months": 24}]})
    services.followup_schedule_for_event(event, config=cfg)
    services.followup_schedule_for_event(event, config=cfg)
    assert sorted(FollowUp.objects.values_list("months", flat=True)) == [2, 24]


def test_bad_followup_config_is_refused():
    for bad in (
        {"schedule": []},
        {"schedule": [{"months": 0}]},
        {"schedule": [{"months": 1}, {"months": 1}]},
        {"overdue_after_days": -1},
    ):
        with pytest.raises(config.FollowupConfigError):
            config.parse(bad)


def test_new_arrival_cancels_pending_contacts_of_the_earlier_one():
    person = make_person()
    first = make_event(person=person, arrived_at=datetime(2025, 1, 10, tzinfo=MX))
    services.followup_schedule_for_event(first)
    second = make_event(person=person, arrived_at=datetime(2026, 1, 10, tzinfo=MX))
    services.followup_schedule_for_event(second)
    assert set(FollowUp.objects.filter(event=first).values_list("status", flat=True)) == {"cancelled"}
    assert set(FollowUp.objects.filter(event=second).values_list("status", flat=True)) == {"pending"}


def test_backfill_command_schedules_events_without_followups_once():
    a, b = make_event(), make_event()
    services.followup_schedule_for_event(a)
    call_command("schedule_followups", stdout=open("/dev/null", "w"))
    call_command("schedule_followups", stdout=open("/dev/null", "w"))
    assert FollowUp.objects.filter(event=b).count() == 4 and FollowUp.objects.count() == 8


def _officer_and_followup(**event_kw):
    point = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    event = make_event(point=point, **event_kw)
    return officer, services.followup_schedule_for_event(event)[0]


def test_unreached_attempt_keeps_the_contact_pending_and_a_reached_one_completes_it():
    officer, f = _officer_and_followup()
    services.contact_attempt_record(user=officer, followup=f, channel="phone", reached=False, notes="buzón")
    f.refresh_from_db()
    assert f.status == "pending"
    services.contact_attempt_record(user=officer, followup=f, channel="visit", reached=True)
    f.refresh_from_db()
    assert f.status == "reached" and f.attempts.count() == 2
    assert AuditEntry.objects.filter(action="create", object_type="followup.contactattempt").count() == 2


def test_attempt_with_bad_input_is_refused_and_saves_nothing():
    officer, f = _officer_and_followup()
    with pytest.raises(ValidationError) as exc:
        services.contact_attempt_record(
            user=officer,
            followup=f,
            channel="pigeon",
            reached=None,
            notes="x" * 2001,
            attempted_at=timezone.now() + timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"channel", "reached", "notes", "attempted_at"}
    assert not f.attempts.exists()


def test_no_attempts_on_a_cancelled_followup():
    officer, f = _officer_and_followup()
    f.status = FollowUp.Status.CANCELLED
    f.save()
    with pytest.raises(DomainError):
        services.contact_attempt_record(user=officer, followup=f, channel="phone", reached=True)


def test_overdue_lists_pending_contacts_past_due_in_scope_only():
    officer, f = _officer_and_followup(arrived_at=datetime(2025, 1, 10, tzinfo=MX))
    other_point_officer = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    overdue = list(followup_list_overdue(officer, today=date(2025, 6, 1)))
    assert [x.months for x in overdue] == [1, 3]
    assert not followup_list_overdue(other_point_officer, today=date(2025, 6, 1)).exists()
    services.contact_attempt_record(user=officer, followup=f, channel="phone", reached=True)
    assert [x.months for x in followup_list_overdue(officer, today=date(2025, 6, 1))] == [3]


def test_survey_stores_answers_scores_and_completes_the_contact():
    make_survey_questionnaire()
    officer, f = _officer_and_followup()
    answers = {
        "employment": "formal",
        "income_sufficiency": "agree",
        "food_security": "never",
        "debt": "manageable",
        "can_borrow": "neutral",
    }
    s = services.survey_submit(user=officer, person=f.person, answers=answers, followup=f)
    # economic: (2*1 + 0.75 + 1 + 0.5 + 0.5) / 6 = 4.75 / 6
    assert s.dimension_scores["economic"] == pytest.approx(0.7917, abs=1e-4)
    assert s.dimension_scores["social"] is None and s.composite == s.dimension_scores["economic"]
    f.refresh_from_db()
    assert f.status == "reached"


def test_survey_with_invalid_answer_saves_nothing():
    make_survey_questionnaire()
    officer, f = _officer_and_followup()
    with pytest.raises(ValidationError) as exc:
        services.survey_submit(user=officer, person=f.person, answers={"employment": "astronaut"})
    assert "employment" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.survey_submit(user=officer, person=make_person(), answers={}, followup=f)
    assert not ReintegrationSurvey.objects.exists()


def _rows(person):
    return sorted(FollowUp.objects.filter(person=person).values_list("event__arrived_at", "months", "due_date", "status"))


@pytest.mark.parametrize("schedule", ["receiver", "service"])
def test_registration_receiver_writes_the_same_rows_as_the_service(schedule):
    """schedule_on_arrival (on every registration, told the event and maybe the person are new)
    and followup_schedule_for_event called alone give the same contacts: a first arrival, a
    return that cancels the earlier pending contacts, and a backfilled older arrival that is born
    cancelled."""

    def run(event, new_person):
        if schedule == "receiver":
            services.schedule_on_arrival(None, event=event, new_person=new_person)
        else:
            services.followup_schedule_for_event(event, new_event=True, new_person=new_person)

    person = make_person()
    run(make_event(person=person, arrived_at=datetime(2025, 1, 31, 23, 30, tzinfo=MX)), True)
    run(make_event(person=person, arrived_at=datetime(2026, 3, 10, 9, tzinfo=MX)), False)
    run(make_event(person=person, arrived_at=datetime(2025, 6, 1, 9, tzinfo=MX)), False)
    rows = _rows(person)
    assert [r[1:] for r in rows] == [
        (1, date(2025, 2, 28), "cancelled"),
        (3, date(2025, 4, 30), "cancelled"),
        (6, date(2025, 7, 31), "cancelled"),
        (12, date(2026, 1, 31), "cancelled"),
        (1, date(2025, 7, 1), "cancelled"),
        (3, date(2025, 9, 1), "cancelled"),
        (6, date(2025, 12, 1), "cancelled"),
        (12, date(2026, 6, 1), "cancelled"),
        (1, date(2026, 4, 10), "pending"),
        (3, date(2026, 6, 10), "pending"),
        (6, date(2026, 9, 10), "pending"),
        (12, date(2027, 3, 10), "pending"),
    ]
    # The service called again afterwards finds every contact there and adds none.
    for followup in FollowUp.objects.filter(person=person, months=1).select_related("event"):
        assert len(services.followup_schedule_for_event(followup.event)) == 4
    assert _rows(person) == rows
