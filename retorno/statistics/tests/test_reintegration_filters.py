"""State, age-group and vulnerability filters of the reintegration indicators and tables, on a
small hand-counted set: each record reaches them through its repatriation event and person."""

from datetime import date

import pytest

from retorno.diagnosis.models import Diagnosis
from retorno.diagnosis.tests.factories import make_questionnaire
from retorno.directory.tests.factories import make_service
from retorno.followup.models import FollowUp, ReintegrationSurvey
from retorno.followup.tests.factories import make_survey_questionnaire
from retorno.referrals.models import Status
from retorno.referrals.tests.factories import make_referral
from retorno.statistics.bulletin import bulletin_build
from retorno.statistics.registry import Filters, Period, compute
from retorno.statistics.selectors import Audience
from retorno.statistics.tests.factories import at
from retorno.testing.factories import make_event, make_person, make_point, make_state

pytestmark = pytest.mark.django_db

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def spread():
    """Four persons at TIJ, referred to one service in October 2026:
    Ana (woman, born MN): arrived Oct 2, age 30, origin OA, no documents; again Nov 3 (origin MN,
      age 31: after her referral, so not its event). Referral r1 sent Oct 5.
    Beto (born MN): arrived Oct 3, age 15 (accompanied), no origin -> MN by birth, no documents. r2 Oct 6.
    Ciro (man, born OA, indigenous): no arrival at all -> state OA by birth, no age. r3 Oct 7.
    Dora (born OA): arrived Oct 4, age 40, origin MN, INE; diagnoses: complete [trafficking_victim],
      then complete [crime_victim] (the latest complete), then a draft [gbv_victim]. r4 Oct 8.
    Follow-ups due Oct 25: Ana's (reached), Beto's (pending).
    Surveys Oct 28: Ana through her follow-up 0.9; Dora without follow-up 0.3 (her Oct 4 arrival);
    Ciro without follow-up nor arrival 0.5.
    """
    point = make_point("TIJ", name="Tijuana")
    mn, oa = make_state("MN", "Michoacán"), make_state("OA", "Oaxaca")
    job = make_service(needs=["employment"], name="Bolsa de trabajo")
    ana = make_person(given_names="Ana", sex="M", birth_state=mn)
    beto = make_person(given_names="Beto", birth_state=mn)
    ciro = make_person(given_names="Ciro", birth_state=oa, indigenous=True)
    dora = make_person(given_names="Dora", sex="M", birth_state=oa)
    e_ana = make_event(ana, point, arrived_at=at(2026, 10, 2, 9), age_at_arrival=30, origin_state=oa)
    make_event(ana, point, arrived_at=at(2026, 11, 3, 9), age_at_arrival=31, origin_state=mn)
    e_beto = make_event(beto, point, arrived_at=at(2026, 10, 3, 9), age_at_arrival=15, accompanied_by=e_ana)
    make_event(
        dora, point, arrived_at=at(2026, 10, 4, 9), age_at_arrival=40, origin_state=mn, documents=["ine"]
    )
    for day, person in enumerate((ana, beto, ciro, dora), 5):
        make_referral(
            person=person, service=job, status=Status.SENT, point=point, sent_at=at(2026, 10, day, 10)
        )
    questionnaire = make_questionnaire()
    for flags, status in (
        (["trafficking_victim"], Diagnosis.Status.COMPLETE),
        (["crime_victim"], Diagnosis.Status.COMPLETE),
        (["gbv_victim"], Diagnosis.Status.DRAFT),
    ):
        Diagnosis.objects.create(person=dora, questionnaire=questionnaire, status=status, flags=flags)
    f_ana = FollowUp.objects.create(
        person=ana, event=e_ana, months=1, due_date=date(2026, 10, 25), status=FollowUp.Status.REACHED
    )
    FollowUp.objects.create(person=beto, event=e_beto, months=1, due_date=date(2026, 10, 25))
    survey = make_survey_questionnaire()
    for person, followup, composite in ((ana, f_ana, 0.9), (dora, None, 0.3), (ciro, None, 0.5)):
        ReintegrationSurvey.objects.create(
            person=person,
            followup=followup,
            questionnaire=survey,
            taken_on=date(2026, 10, 28),
            composite=composite,
        )
    return point


@pytest.mark.parametrize(
    "filters, sent",
    [
        (Filters(), 4),
        (Filters(state="OA"), 2),  # Ana (event origin), Ciro (birth state, no event)
        (Filters(state="MN"), 2),  # Beto (birth state behind an event without origin), Dora
        (Filters(state="BC"), 0),
        (Filters(age_group="18+"), 2),  # Ana 30 (not her later arrival), Dora 40
        (Filters(age_group="12-17"), 1),  # Beto
        (Filters(age_group="0-11"), 0),
        (Filters(state="MN", age_group="18+"), 1),  # Dora
        (Filters(vulnerability="crime_victim"), 1),  # Dora's latest complete diagnosis
        (Filters(vulnerability="trafficking_victim"), 0),  # an older diagnosis
        (Filters(vulnerability="gbv_victim"), 0),  # a draft
        (Filters(vulnerability="accompanied_minor"), 1),  # Beto
        (Filters(vulnerability="unaccompanied_minor"), 0),
        (Filters(vulnerability="woman"), 2),  # Ana, Dora
        (Filters(vulnerability="indigenous"), 1),  # Ciro, through his person record
        (Filters(vulnerability="no_documents"), 2),  # Ana, Beto
        (Filters(vulnerability="older_adult"), 0),
    ],
)
def test_referrals_sent_by_state_age_group_and_vulnerability(spread, filters, sent):
    assert compute("referrals_sent", OCTOBER, filters) == sent


def test_followups_and_arrivals_follow_their_event(spread):
    assert compute("followups_due", OCTOBER, Filters(state="OA")) == 1
    assert compute("followups_due", OCTOBER, Filters(age_group="12-17")) == 1
    assert compute("followup_reach_rate", OCTOBER, Filters(age_group="18+")) == 100.0
    assert compute("followup_reach_rate", OCTOBER, Filters(vulnerability="accompanied_minor")) == 0.0
    assert compute("arrivals_without_documents", OCTOBER, Filters(state="OA")) == 1  # Ana's Oct arrival
    assert compute("arrivals_without_documents", OCTOBER, Filters(age_group="12-17")) == 1


def test_surveys_follow_their_follow_up_or_the_latest_arrival(spread):
    assert compute("reintegration_surveys", OCTOBER, Filters(state="OA")) == 2  # Ana, Ciro
    assert compute("reintegration_surveys", OCTOBER, Filters(state="MN")) == 1  # Dora
    assert compute("reintegration_surveys", OCTOBER, Filters(age_group="18+")) == 2  # Ana, Dora
    assert compute("reintegration_score_median", OCTOBER, Filters(age_group="18+")) == 0.6
    assert compute("reintegration_surveys", OCTOBER, Filters(vulnerability="crime_victim")) == 1


def test_bulletin_reintegration_tables_are_filtered_not_left_out(spread):
    def build(filters):
        return bulletin_build(
            month=date(2026, 10, 1), audience=Audience(points=None, suppressed=False), filters=filters
        )

    by_state = build(Filters(state="OA"))
    assert by_state.table("referrals_service").published()[-1][-1] == 2
    by_age = build(Filters(age_group="18+"))
    assert by_age.table("referrals_service").published()[-1][-1] == 2
    assert by_age.table("reintegration_scores").published()[-2] == [1, 0, 1, 2]  # 0.3 low, 0.9 high
    by_flag = build(Filters(vulnerability="woman"))
    assert by_flag.table("referrals_service").published()[-1][-1] == 2
