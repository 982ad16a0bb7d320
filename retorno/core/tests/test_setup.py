import pytest
from django.core.management import call_command

from retorno.accounts.models import User
from retorno.reference.models import ReceptionPoint, State

pytestmark = pytest.mark.django_db


def test_reference_data_loads_twelve_points_and_33_states_idempotently():
    call_command("load_reference")
    call_command("load_reference")
    assert ReceptionPoint.objects.count() == 12
    assert State.objects.count() == 33
    assert ReceptionPoint.objects.get(code="AICM").mode == "air"


def test_demo_creates_one_user_per_role():
    call_command("load_reference")
    call_command("load_demo")
    roles = set(User.objects.values_list("role", flat=True))
    assert {"reception_officer", "supervisor", "child_protection", "caseworker", "analyst", "admin"} <= roles


def test_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
