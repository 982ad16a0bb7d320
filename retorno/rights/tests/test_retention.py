"""The retention schedule: what is past its period is anonymised, the dry run changes nothing,
and the statistics count the same before and after."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from retorno.audit.models import AuditEntry
from retorno.identity.models import Person
from retorno.portal.models import OutboundMessage
from retorno.rights.retention import ANONYMISED, retention_apply, retention_plan
from retorno.statistics.registry import Period, compute
from retorno.testing.factories import make_event, make_person, make_point

pytestmark = pytest.mark.django_db
LONG_AGO = datetime(2021, 3, 1, 10, tzinfo=ZoneInfo("America/Mexico_City"))


@pytest.fixture
def records():
    point = make_point("TIJ")
    old = make_person(
        given_names="Rosa", sex="M", phone_mx="6641234567", email="r@example.org", birth_date=date(1980, 4, 9)
    )
    make_event(person=old, point=point, arrived_at=LONG_AGO)
    cancelled = make_person(given_names="Luis", curp="", phone_mx="6640000000", birth_date=date(1985, 6, 2))
    make_event(person=cancelled, point=point, arrived_at=LONG_AGO)
    Person.objects.filter(pk=cancelled.pk).update(blocked_at=timezone.now() - timedelta(days=60))
    recent = make_person(given_names="Ana", phone_mx="6641111111")
    make_event(person=recent, point=point, arrived_at=timezone.now() - timedelta(days=10))
    message = OutboundMessage.objects.create(
        channel="sms", destination="+526641234567", purpose="sign_in", body="Su código es 123456"
    )
    OutboundMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(days=200))
    return old, cancelled, recent


def test_the_dry_run_lists_and_changes_nothing(records):
    old, cancelled, recent = records
    plan = {s.code: s.ids for s in retention_plan()}
    assert plan["contact_details"] == [old.pk, cancelled.pk] and plan["cancelled_records"] == [cancelled.pk]
    assert len(plan["message_texts"]) == 1
    call_command("retention", "apply", "--dry-run", verbosity=0)
    assert (
        Person.objects.get(pk=old.pk).phone_mx == "6641234567"
        and not AuditEntry.objects.filter(object_type__startswith="retention").exists()
    )


def test_apply_anonymises_and_the_aggregates_stay(records):
    old, cancelled, recent = records
    period = Period(date(2021, 1, 1), date(2021, 12, 31))
    before = [compute(name, period) for name in ("events_total", "persons_total", "women_share")]
    retention_apply()
    old.refresh_from_db()
    cancelled.refresh_from_db()
    recent.refresh_from_db()
    assert (old.phone_mx, old.email, old.given_names) == ("", "", "Rosa")
    assert (
        cancelled.given_names == ANONYMISED
        and cancelled.birth_date == date(1985, 1, 1)
        and cancelled.sex == "H"
    )
    assert recent.phone_mx == "6641111111"
    assert OutboundMessage.objects.get().body == ""
    assert [compute(name, period) for name in ("events_total", "persons_total", "women_share")] == before
    codes = set(
        AuditEntry.objects.filter(object_type__startswith="retention.").values_list("object_type", flat=True)
    )
    assert codes == {"retention.contact_details", "retention.cancelled_records", "retention.message_texts"}
    assert all(not s.ids for s in retention_plan())  # applied twice: nothing more to do
