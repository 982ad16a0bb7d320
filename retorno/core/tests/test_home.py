from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.reception.tests.factories import make_desk, register, register_minor
from retorno.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_home_counts_todays_arrivals_and_pending_minors_in_scope():
    point, officer = make_desk()
    just_now = timezone.now() - timedelta(minutes=1)  # today, whatever the hour
    register(officer, point, arrived_at=just_now)
    register_minor(officer, point, arrived_at=just_now)
    other_point, other = make_desk("MXL")
    register(other, other_point, given_names="Rosa", first_surname="Ortega")
    c = Client()
    c.force_login(officer)
    queue = {item.key: item for item in c.get("/").context["queue"]}
    assert queue["arrivals_open"].count == 2 and queue["minors"].count == 1 and queue["minors"].urgent
    # Each count leads to its list, and the list shows the same records.
    minors = c.get(queue["minors"].url)
    assert minors.status_code == 200 and len(minors.context["page"].object_list) == 1
    arrivals = c.get(queue["arrivals_open"].url)
    assert len(arrivals.context["page"].object_list) == 2


def test_home_for_analyst_has_no_case_counts():
    c = Client()
    c.force_login(make_user(Role.ANALYST))
    response = c.get("/")
    assert response.context["queue"] == [] and "queue-" not in response.content.decode()


def test_a_caseworker_sees_the_referrals_waiting_for_their_answer():
    from retorno.directory.tests.factories import make_service
    from retorno.referrals.models import Status
    from retorno.referrals.tests.factories import make_person_at, make_referral
    from retorno.testing.factories import make_institution, make_point

    institution = make_institution("SNE")
    worker = make_user(Role.CASEWORKER, institution=institution)
    make_referral(make_person_at(make_point("TIJ")), make_service(institution, code="empleo"), status=Status.SENT)
    c = Client()
    c.force_login(worker)
    queue = {item.key: item for item in c.get("/").context["queue"]}
    assert queue["referrals_waiting"].count == 1 and "minors" not in queue
