"""Employment in the statistics: hires within the window of return, by age group and sex, with
small cells suppressed for a public audience; the PEM indicators' queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from retorno.employment import services
from retorno.employment.models import Application
from retorno.employment.tests.factories import make_job_bank, make_seeker, make_vacancy
from retorno.statistics.bulletin import bulletin_build, table_keys
from retorno.statistics.registry import Filters, Period, compute
from retorno.statistics.selectors import Audience
from retorno.testing.factories import make_point, make_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def hires(settings):
    settings.RETORNO_STATISTICS_MIN_CELL = 3
    bank, caseworker = make_job_bank()
    tij = make_point("TIJ", state=make_state("BC", "Baja California"))
    vacancy = make_vacancy()
    people = []
    for n, (sex, born, days) in enumerate(
        [("M", 1990, 10), ("M", 1992, 20), ("M", 1994, 30), ("H", 1985, 40), ("H", 1980, 200)]
    ):
        person, _ = make_seeker(
            bank,
            point=tij,
            arrived_days_ago=days,
            sex=sex,
            given_names=f"P{n}",
            birth_date=timezone.localdate().replace(year=born),
        )
        application = services.application_create(user=caseworker, person=person, vacancy=vacancy)
        services.application_transition(
            user=caseworker, application=application, to_status="hired", answer="Sí"
        )
        people.append(person)
    return people


def test_hires_within_the_window_count_and_women_share(hires):
    today = timezone.localdate()
    period = Period(today - timedelta(days=5), today)
    assert compute("employment_hires_90d", period) == 4  # the fifth returned 200 days before
    assert compute("employment_hires_women_share", period) == 75.0
    assert compute("employment_hires_90d", period, Filters(sex="H")) == 1
    assert compute("employment_hires_90d", period, Filters(point="MXL")) == 0
    assert (
        compute("employment_hires_90d", period, Filters(state="MN")) is None
    )  # not supported: never a wrong figure
    assert compute("job_applications_sent", period) == 5
    assert compute("job_bank_persons", period) == 5
    Application.objects.update(decided_on=today - timedelta(days=30))
    assert compute("employment_hires_90d", period) == 0


def test_the_bulletin_table_by_age_and_sex_suppresses_small_cells(hires):
    assert "employment_hires" in table_keys()
    month = timezone.localdate().replace(day=1)
    exact = bulletin_build(month=month, audience=Audience(points=None, suppressed=False)).table(
        "employment_hires"
    )
    by_row = dict(zip(exact.row_keys, exact.cells, strict=True))
    assert sum(map(sum, exact.cells)) == 4 and by_row["30-44"] == [1, 3]
    public = bulletin_build(month=month, audience=Audience(points=None, suppressed=True)).table(
        "employment_hires"
    )
    assert public.suppression is not None and public.suppression.suppressed  # the single man is not published
