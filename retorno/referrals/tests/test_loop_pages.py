"""The person's pages link the loop: diagnosis -> canalización -> follow-up, and the canalización
page shows what the diagnosis found, with the rules' reasons."""

import pytest
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.diagnosis.services import diagnosis_create
from retorno.diagnosis.tests.factories import VALID_ANSWERS, make_questionnaire
from retorno.referrals.tests.factories import make_person_at
from retorno.testing.factories import make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    make_questionnaire()
    point = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    person = make_person_at(point)
    client.force_login(officer)
    return dict(officer=officer, person=person)


def test_canalizacion_page_shows_the_diagnosis_needs_and_priority_with_reasons(client, world):
    diagnosis_create(
        user=world["officer"], person=world["person"], answers={**VALID_ANSWERS, "chronic_illness": "yes"}
    )
    html = client.get(reverse("referrals:person", args=[world["person"].pk])).content.decode()
    assert 'data-code="employment"' in html and "Busca empleo." in html
    assert 'data-code="chronic_illness"' in html and "Declaró una enfermedad crónica o grave." in html
    assert '<span class="badge high">Alta</span>' in html
    assert "Sin diagnóstico completo" not in html


def test_canalizacion_page_without_a_diagnosis_says_so_and_links_to_it(client, world):
    html = client.get(reverse("referrals:person", args=[world["person"].pk])).content.decode()
    assert "Sin diagnóstico completo" in html
    assert reverse("diagnosis:new", args=[world["person"].pk]) in html
    assert 'data-code="employment"' not in html


def test_diagnosis_page_links_to_canalizacion_and_follow_up_once_complete(client, world):
    person_url = reverse("diagnosis:person", args=[world["person"].pk])
    refer_url = reverse("referrals:person", args=[world["person"].pk])
    assert 'data-testid="refer"' not in client.get(person_url).content.decode()
    diagnosis_create(user=world["officer"], person=world["person"], answers=VALID_ANSWERS)
    html = client.get(person_url).content.decode()
    assert f'href="{refer_url}" data-testid="refer"' in html
    assert reverse("followup:person", args=[world["person"].pk]) in html


def test_every_person_page_carries_the_three_tabs(client, world):
    pk = world["person"].pk
    for name in ("diagnosis:person", "referrals:person", "followup:person"):
        html = client.get(reverse(name, args=[pk])).content.decode()
        tabs = html[html.index('data-testid="person-tabs"') :]
        for target in ("diagnosis:person", "referrals:person", "followup:person"):
            assert reverse(target, args=[pk]) in tabs[: tabs.index("</nav>")]
