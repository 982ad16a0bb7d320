"""The open-data page and the analyst dashboard in a real browser (Debian chromium)."""

import pytest

from retorno.accounts.models import Role
from retorno.statistics.tests.factories import known_dataset
from retorno.testing.factories import make_user

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def page(browser):
    return browser.new_context(locale="es-MX", accept_downloads=True).new_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_open_data_page_shows_suppressed_tables_charts_and_downloads(live_server, page):
    known_dataset()
    page.goto(f"{live_server.url}/statistics/open-data/?month=2026-10")
    assert "Estadísticas de repatriación" in page.locator("h1").inner_text()
    assert page.locator("svg.chart").count() == 5
    assert page.locator("#point_sex td", has_text="*").count() > 0
    with page.expect_download() as info:
        page.locator("#point_sex a", has_text="CSV").click()
    content = open(info.value.path(), encoding="utf-8-sig").read()
    assert content.startswith("table,title,unit")
    assert "point_sex" in content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_analyst_filters_the_dashboard_and_reads_it_in_english(live_server, page):
    known_dataset()
    make_user(Role.ANALYST, username="ana", password="pass-1234-word")
    page.goto(f"{live_server.url}/accounts/login/?next=/statistics/")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", "pass-1234-word")
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/statistics/?month=2026-10")
    page.select_option("select[name=sex]", "H")
    page.get_by_role("button", name="Aplicar").click()
    assert "sex=H" in page.url
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert "Repatriation events by reception point and sex" in page.content()
