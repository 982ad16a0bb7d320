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
    html = c.get("/").content.decode()
    assert "2 llegadas hoy" in html and "1 menor no acompañado pendiente" in html


def test_home_for_analyst_has_no_case_counts():
    c = Client()
    c.force_login(make_user(Role.ANALYST))
    html = c.get("/").content.decode()
    assert "arrivals-today" not in html
