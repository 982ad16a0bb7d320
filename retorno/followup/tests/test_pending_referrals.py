"""The follow-up dashboard's pending-referrals block: each side sees what waits for it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.directory.tests.factories import make_service
from retorno.referrals.models import Status
from retorno.referrals.tests.factories import make_person_at, make_referral
from retorno.testing.factories import make_institution, make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    point, other_point = make_point("TIJ"), make_point("MXL")
    sne, renapo = make_institution("SNE"), make_institution("RENAPO")
    job = make_service(sne, code="empleo", name="Bolsa de empleo")
    curp = make_service(renapo, code="curp", name="Constancia de CURP")
    rosa = make_person_at(point, given_names="Rosa", first_surname="Vega")
    luis = make_person_at(other_point, given_names="Luis", first_surname="Ortega")
    late = timezone.now() - timedelta(days=9)
    return dict(
        officer=make_user(Role.RECEPTION_OFFICER, point=point),
        sne_worker=make_user(Role.CASEWORKER, institution=sne),
        job_sent=make_referral(rosa, job, Status.SENT, point),
        job_overdue=make_referral(
            luis, job, Status.SENT, other_point, sent_at=late, response_due_at=late + timedelta(days=1)
        ),
        job_done=make_referral(rosa, make_service(sne, code="capacitacion"), Status.COMPLETED, point),
        curp_accepted=make_referral(rosa, curp, Status.ACCEPTED, point),
    )


def _rows(client, user):
    client.force_login(user)
    html = client.get(reverse("followup:dashboard")).content.decode()
    block = html[html.index('id="pending-referrals"') :]
    return block


def test_caseworker_sees_their_institutions_pending_referrals_and_not_others(client, world):
    block = _rows(client, world["sne_worker"])
    assert f'data-referral="{world["job_sent"].pk}"' in block
    assert f'data-referral="{world["job_overdue"].pk}"' in block
    assert f'data-referral="{world["curp_accepted"].pk}"' not in block  # another institution
    assert f'data-referral="{world["job_done"].pk}"' not in block  # nothing left to do
    assert "Constancia de CURP" not in block


def test_caseworker_sees_the_shared_name_and_never_a_link_to_the_person(client, world):
    block = _rows(client, world["sne_worker"])
    assert "Rosa Vega" in block
    assert reverse("referrals:person", args=[world["job_sent"].person_id]) not in block
    assert reverse("referrals:detail", args=[world["job_sent"].pk]) in block


def test_overdue_referrals_come_first_with_a_badge(client, world):
    block = _rows(client, world["sne_worker"])
    assert block.index(f'data-referral="{world["job_overdue"].pk}"') < block.index(
        f'data-referral="{world["job_sent"].pk}"'
    )
    assert block.count('data-testid="overdue"') == 1


def test_officer_sees_their_points_pending_referrals_with_person_institution_and_status(client, world):
    block = _rows(client, world["officer"])
    assert reverse("referrals:person", args=[world["job_sent"].person_id]) in block
    assert "Bolsa de empleo" in block and "SNE" in block and "Enviada" in block
    assert "Constancia de CURP" in block and "Aceptada" in block
    assert f'data-referral="{world["job_overdue"].pk}"' not in block  # another point's person
    assert f'data-referral="{world["job_done"].pk}"' not in block


@pytest.mark.parametrize(("role", "status"), [(Role.ANALYST, 403), (Role.ADMIN, 200), (Role.SUPERVISOR, 200)])
def test_dashboard_answers_every_role_without_error(client, world, role, status):
    client.force_login(make_user(role))
    assert client.get(reverse("followup:dashboard")).status_code == status
