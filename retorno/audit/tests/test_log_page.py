from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.reception.tests.factories import make_desk, register
from retorno.testing.factories import make_user

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_supervisor_filters_log_by_person_and_date_range():
    point, officer = make_desk()
    a = register(officer, point)
    b = register(officer, point, given_names="Rosa", first_surname="Ortega")
    # The trail cannot be edited (not even by a test): an old entry is written as old.
    old = AuditEntry.objects.create(
        at=timezone.now() - timedelta(days=40),
        person_id=b.person_id,
        reception_point_id=point.pk,
        action="view",
        object_type="identity.person",
    )
    sup = make_user(Role.SUPERVISOR, point=point)
    c = logged_in(sup)
    r = c.get(reverse("audit:log"), {"person": a.person_id})
    page = r.context["page"]
    assert page.paginator.count and {e.person_id for e in page} == {a.person_id}
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    r = c.get(reverse("audit:log"), {"person": b.person_id, "date_from": since})
    assert old.pk not in {e.pk for e in r.context["page"]}
    r = c.get(reverse("audit:log"), {"date_from": "not-a-date"})
    assert r.status_code == 200 and "error" in r.content.decode()


def test_supervisor_of_other_point_sees_none_of_these_entries():
    point, officer = make_desk()
    register(officer, point)
    other_point, _ = make_desk("MXL")
    sup = make_user(Role.SUPERVISOR, point=other_point)
    r = logged_in(sup).get(reverse("audit:log"))
    assert r.context["page"].paginator.count == 0


def test_officer_cannot_browse_log():
    point, officer = make_desk()
    assert logged_in(officer).get(reverse("audit:log")).status_code == 403
