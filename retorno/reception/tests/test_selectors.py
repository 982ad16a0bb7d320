from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from retorno.reception.selectors import person_arrival_summary
from retorno.testing.factories import make_event, make_person, make_point

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


def test_arrival_summary_counts_every_point_and_names_the_last_one():
    tijuana, nogales = make_point(name="Tijuana"), make_point(name="Nogales")
    twice, once, never = (
        make_person(),
        make_person(given_names="Ana", sex="M"),
        make_person(given_names="Luis"),
    )
    make_event(person=twice, point=tijuana, arrived_at=datetime(2025, 3, 1, 9, tzinfo=MX))
    last = make_event(person=twice, point=nogales, arrived_at=datetime(2026, 2, 1, 23, 30, tzinfo=MX))
    make_event(person=once, point=tijuana, arrived_at=datetime(2024, 1, 5, 8, tzinfo=MX))

    summary = person_arrival_summary([twice.pk, once.pk, never.pk])

    assert summary[twice.pk]["arrivals"] == 2
    assert summary[twice.pk]["last_arrival"] == last.arrived_at  # an aware datetime on both databases
    assert summary[twice.pk]["last_arrival"].tzinfo is not None
    assert summary[twice.pk]["last_point"] == "Nogales"
    assert summary[twice.pk]["points"] == {tijuana.pk, nogales.pk}
    assert summary[once.pk]["arrivals"] == 1 and summary[once.pk]["last_point"] == "Tijuana"
    assert summary[never.pk] == {"arrivals": 0, "last_arrival": None, "last_point": "", "points": set()}
    assert person_arrival_summary([]) == {}
