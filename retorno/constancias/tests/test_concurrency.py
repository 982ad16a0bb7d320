"""Two desks issuing at the same moment must never get the same folio (PostgreSQL only: SQLite
serialises all writers, so the row lock is only exercised on a real concurrent database)."""

import threading

import pytest
from django.db import connection, connections

from retorno.constancias.models import Constancia
from retorno.constancias.services import constancia_issue
from retorno.testing.factories import make_event, make_person

from .factories import make_desk


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_at_one_point_get_distinct_consecutive_folios():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    point, officer, _, _ = make_desk()
    events = [make_event(person=make_person(given_names=f"Persona{i}"), point=point) for i in range(12)]
    barrier = threading.Barrier(len(events))
    errors: list[BaseException] = []

    def issue(event):
        try:
            barrier.wait()
            constancia_issue(user=officer, event=event)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(e,)) for e in events]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Constancia.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(events) + 1))
