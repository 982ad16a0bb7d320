"""Other apps plug tables into the bulletin and queries into the indicator registry by module name."""

from datetime import date

import pytest

from retorno.statistics.bulletin import bulletin_build, table_keys
from retorno.statistics.registry import Period, available, compute
from retorno.statistics.selectors import Audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def plugin_app(settings):
    settings.RETORNO_APPS = [*settings.RETORNO_APPS, "retorno.statistics.tests.plugin"]


def test_an_app_adds_a_table_that_the_bulletin_suppresses_like_its_own(plugin_app):
    assert "plugin_referrals" in table_keys()
    public = bulletin_build(month=date(2026, 10, 1), audience=Audience.public())
    table = public.table("plugin_referrals")
    assert table.published()[0][0] is None  # 3 < 5
    assert all(v is None or v >= 5 for row in table.published() for v in row)
    exact = bulletin_build(month=date(2026, 10, 1), audience=Audience(points=None, suppressed=False))
    assert exact.table("plugin_referrals").published()[-1][-1] == 153


def test_an_app_registers_indicator_queries(plugin_app):
    assert "plugin_referrals_completed" in available()
    assert compute("plugin_referrals_completed", Period(date(2026, 10, 1), date(2026, 10, 31))) == 42
