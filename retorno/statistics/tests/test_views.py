import pytest
from django.core.management import call_command

from retorno.accounts.models import Role
from retorno.jobs.models import Job
from retorno.reception.models import RepatriationEvent
from retorno.statistics.models import AggregateMonth
from retorno.statistics.tests.factories import known_dataset
from retorno.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client):
    known_dataset()
    client.force_login(make_user(Role.ANALYST))
    return client


def test_dashboard_shows_charts_tables_freshness_and_downloads(analyst):
    html = analyst.get("/statistics/?month=2026-10").content.decode()
    assert html.count("<svg") == 5
    assert "Datos al" in html and "suprimidas" in html
    assert "/statistics/download/bulletin.xlsx?month=2026-10" in html
    for title in ("punto de recepción y mes", "entidad de origen y sexo", "número de eventos acumulados"):
        assert title in html


def test_dashboard_in_english(analyst):
    analyst.cookies["django_language"] = "en"
    html = analyst.get("/statistics/?month=2026-10").content.decode()
    assert "Repatriation events by state of origin and sex" in html
    assert "Data as of" in html


def test_filters_are_applied_and_bad_ones_explained(analyst):
    html = analyst.get("/statistics/?month=2026-10&sex=M&point=TIJ").content.decode()
    assert 'value="M" selected' in html
    bad = analyst.get("/statistics/?month=2026-99")
    assert bad.status_code == 200
    assert "AAAA-MM" in bad.content.decode()


def test_indicators_page_lists_values_computed_in_the_background_with_suppression(analyst):
    url = "/statistics/indicators/?start=2026-10&end=2026-10"
    before = analyst.get(url).content.decode()
    assert "Faltan valores por calcular" in before and "events_total" not in before
    response = analyst.post(url, follow=True)  # the job (immediate in tests) and back to the page
    assert response.redirect_chain[-1][0] == "/statistics/indicators/?start=2026-10&end=2026-10"
    html = response.content.decode()
    assert "events_total" in html and "repeat_return_rate" in html and "Valores calculados el" in html
    assert ">10<" in html  # events_total, publishable
    # Other filters are other values: not computed yet.
    assert "Faltan valores" in analyst.get(url + "&sex=M").content.decode()
    bad = analyst.get("/statistics/indicators/?start=2026-10&end=2026-01").content.decode()
    assert "anterior o igual" in bad


def test_refresh_button_rebuilds_the_year_to_date_in_the_background(analyst):
    response = analyst.post("/statistics/refresh/", {"month": "2026-10"}, follow=True)
    # The immediate backend of the tests has already run the job: on to the dashboard.
    assert response.redirect_chain[-1][0] == "/statistics/?month=2026-10"
    assert "Datos actualizados: 10 meses recalculados." in response.content.decode()
    assert AggregateMonth.objects.filter(month__year=2026).count() == 10
    job = Job.objects.get(kind="statistics_refresh")
    assert job.status == Job.Status.DONE and job.params == {"first": "2026-01", "last": "2026-10"}
    status = analyst.get(f"/jobs/{job.pk}/status/", headers={"HX-Request": "true"})
    assert status["HX-Redirect"] == "/statistics/?month=2026-10"
    assert analyst.post("/statistics/refresh/", {"month": "x"}).status_code == 302  # message, no change


def test_navigation_offers_statistics_to_analysts_and_open_data_to_all(analyst):
    html = analyst.get("/").content.decode()
    assert "/statistics/" in html and "/statistics/open-data/" in html


def test_demo_generates_a_marked_non_trivial_history_once():
    call_command("load_reference", stdout=None)
    call_command("load_demo")
    synthetic = RepatriationEvent.objects.filter(notes="demo-synthetic")
    count = synthetic.count()
    assert count >= 2000
    assert synthetic.filter(reception_point__code="AICM", mode="air").exists()
    assert synthetic.filter(unaccompanied_minor=True).exists()
    assert AggregateMonth.objects.count() >= 12
    women = synthetic.filter(person__sex="M").count()
    assert 0.05 < women / count < 0.2
    call_command("load_demo")
    assert RepatriationEvent.objects.filter(notes="demo-synthetic").count() == count
