"""Reintegration indicators and tables on a small hand-counted set of referrals, follow-ups, surveys."""

from datetime import date

import pytest

from retorno.directory.tests.factories import make_service
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.followup.tests.factories import make_survey_questionnaire
from retorno.referrals.models import ReferralTransition, Status
from retorno.referrals.tests.factories import make_referral
from retorno.statistics.bulletin import bulletin_build
from retorno.statistics.queries import indicator_value
from retorno.statistics.registry import Filters, Period, compute
from retorno.statistics.selectors import Audience
from retorno.statistics.tests.factories import at
from retorno.testing.factories import make_event, make_person, make_point

pytestmark = pytest.mark.django_db

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def loop():
    """Arrivals A, B (no documents) and C (INE) at TIJ in October 2026, and their referrals:
    r1 A->identity, sent Oct 5, accepted, completed Oct 20 (15 days; within 30 days of arrival)
    r2 B->identity, sent Oct 6, accepted, completed Nov 20 (45 days; too late for the 30 days)
    r3 C->job, sent Oct 7, rejected Oct 9 (2 days)
    r4 A->job, sent Oct 8, accepted (open)
    r5 draft (never sent). Follow-ups due in October: reached, pending, cancelled.
    Surveys in October with composite 0.2, 0.5, 0.9.
    """
    point = make_point("TIJ", name="Tijuana")
    identity = make_service(needs=["identity_documents"], name="Registro civil")
    job = make_service(needs=["employment"], name="Bolsa de trabajo")
    a, b, c = (make_person(given_names=n) for n in ("Ana", "Beto", "Ciro"))
    ea = make_event(a, point, arrived_at=at(2026, 10, 5, 9), age_at_arrival=30)
    make_event(b, point, arrived_at=at(2026, 10, 6, 9), age_at_arrival=30)
    make_event(c, point, arrived_at=at(2026, 10, 7, 9), age_at_arrival=30, documents=["ine"])

    def referral(person, service, status, sent, closed=None, accepted=True):
        r = make_referral(
            person=person, service=service, status=status, point=point, sent_at=sent, closed_at=closed
        )
        if accepted:
            ReferralTransition.objects.create(referral=r, from_status=Status.SENT, to_status=Status.ACCEPTED)
        return r

    referral(a, identity, Status.COMPLETED, at(2026, 10, 5, 10), at(2026, 10, 20, 10))
    referral(b, identity, Status.COMPLETED, at(2026, 10, 6, 10), at(2026, 11, 20, 10))
    referral(c, job, Status.REJECTED, at(2026, 10, 7, 10), at(2026, 10, 9, 10), accepted=False)
    referral(a, job, Status.ACCEPTED, at(2026, 10, 8, 10), accepted=False)  # its own transition is 'accepted'
    make_referral(person=a, service=job, status=Status.DRAFT, point=point)
    for months, status in enumerate(
        (FollowUp.Status.REACHED, FollowUp.Status.PENDING, FollowUp.Status.CANCELLED), 1
    ):
        FollowUp.objects.create(person=a, event=ea, months=months, due_date=date(2026, 10, 25), status=status)
    questionnaire = make_survey_questionnaire()
    for composite in (0.2, 0.5, 0.9):
        ReintegrationSurvey.objects.create(
            person=a, questionnaire=questionnaire, taken_on=date(2026, 10, 28), composite=composite
        )
    return point


EXPECTED = {
    "referrals_sent": 4,
    "referrals_accepted": 3,
    "referrals_completed": 2,
    "referrals_with_outcome": 3,
    "referral_acceptance_rate": 75.0,
    "referral_completion_rate": 50.0,
    "referral_median_days_to_outcome": 15.0,
    "arrivals_without_documents": 2,
    "identity_documents_30d": 1,
    "identity_documents_30d_share": 50.0,
    "followups_due": 2,
    "followups_reached": 1,
    "followup_reach_rate": 50.0,
    "reintegration_surveys": 3,
    "reintegration_score_median": 0.5,
    "reintegration_score_mean": 0.533,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reintegration_indicators(loop, name):
    assert compute(name, OCTOBER) == EXPECTED[name]


def test_point_and_sex_filters_apply(loop):
    assert compute("referrals_sent", OCTOBER, Filters(point="TIJ")) == 4
    assert compute("referrals_sent", OCTOBER, Filters(point="MXL")) == 0
    assert compute("referrals_sent", OCTOBER, Filters(sex="M")) == 0
    assert compute("referrals_sent", OCTOBER, Filters(sex="H")) == 4


def test_small_reintegration_figures_are_withheld_when_published(loop):
    assert indicator_value("referrals_sent", OCTOBER, Filters(), suppressed=True).value is None
    assert (
        indicator_value("referral_median_days_to_outcome", OCTOBER, Filters(), suppressed=True).value is None
    )
    assert (
        indicator_value("referral_median_days_to_outcome", OCTOBER, Filters(), suppressed=False).value == 15.0
    )


def test_bulletin_tables_of_referrals_by_service_and_scores_by_month(loop):
    bulletin = bulletin_build(month=date(2026, 10, 1), audience=Audience(points=None, suppressed=False))
    referrals = bulletin.table("referrals_service")
    assert referrals.unit == "referrals"
    rows = dict(zip(referrals.row_labels, referrals.published(), strict=False))
    identity = next(v for k, v in rows.items() if "Registro civil" in k)
    job = next(v for k, v in rows.items() if "Bolsa de trabajo" in k)
    assert identity == [0, 2, 0, 0, 0, 2]  # open, completed, rejected, no-show, cancelled, total
    assert job == [1, 0, 1, 0, 0, 2]
    scores = bulletin.table("reintegration_scores")
    assert scores.row_keys[-1] == "2026-10"
    assert scores.published()[-2] == [1, 1, 1, 3]
    assert scores.as_of is not None


def _median_by_service(table) -> dict:
    """{service label or 'TOTAL': published median} of the referrals table."""
    (values,) = table.published_measures()
    return {
        next(w for w in ("Registro civil", "Bolsa de trabajo") if w in label)
        if i < len(table.row_labels)
        else "TOTAL": v
        for i, (label, v) in enumerate(zip([*table.row_labels, "TOTAL"], values, strict=True))
    }


def test_referrals_table_has_the_median_days_to_outcome_per_institution_and_service(loop):
    table = bulletin_build(month=date(2026, 10, 1), audience=Audience(points=None, suppressed=False)).table(
        "referrals_service"
    )
    # identity: r1 15 days, r2 45 days -> 30; job: r3 rejected after 2 days (r4 open) -> 2;
    # all outcomes 15, 45, 2 -> 15.
    assert _median_by_service(table) == {"Registro civil": 30.0, "Bolsa de trabajo": 2.0, "TOTAL": 15.0}
    assert table.as_dict()["measures"][0]["key"] == "median_days_to_outcome"
    assert table.as_dict()["measures"][0]["values"][-1] == 15.0


def test_a_median_over_fewer_referrals_than_the_threshold_is_withheld(loop, settings):
    settings.RETORNO_STATISTICS_MIN_CELL = 2
    table = bulletin_build(month=date(2026, 10, 1), audience=Audience(points=None, suppressed=True)).table(
        "referrals_service"
    )
    # identity rests on 2 outcomes, the total on 3: published; job on 1: withheld.
    assert _median_by_service(table) == {"Registro civil": 30.0, "Bolsa de trabajo": None, "TOTAL": 15.0}
    settings.RETORNO_STATISTICS_MIN_CELL = 5
    table = bulletin_build(month=date(2026, 10, 1), audience=Audience(points=None, suppressed=True)).table(
        "referrals_service"
    )
    assert set(_median_by_service(table).values()) == {None}


def test_downloads_carry_the_median_column(loop):
    import csv
    import io

    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    from retorno.statistics.exports import to_csv, to_parquet, to_xlsx

    table = bulletin_build(month=date(2026, 10, 1), audience=Audience(points=None, suppressed=False)).table(
        "referrals_service"
    )
    rows = list(csv.DictReader(io.StringIO(to_csv([table]).decode("utf-8-sig"))))
    medians = {r["row_key"]: r["value"] for r in rows if r["column_key"] == "median_days_to_outcome"}
    assert sorted(medians.values()) == ["15.0", "2.0", "30.0"] and medians["TOTAL"] == "15.0"
    parquet = pq.read_table(io.BytesIO(to_parquet([table]))).to_pylist()
    assert sorted(r["value"] for r in parquet if r["column_key"] == "median_days_to_outcome") == [
        2.0,
        15.0,
        30.0,
    ]
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active
    lines = [r for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in lines if r and "Total" in r)
    assert header[-1] == "Mediana de días hasta el resultado"
    assert next(r for r in lines if r and r[0] == "Total")[-1] == 15.0
