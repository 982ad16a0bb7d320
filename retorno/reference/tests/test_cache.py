import pytest

from retorno.reference import cache
from retorno.reference.models import DocumentType, State
from retorno.testing.factories import make_point, make_state

pytestmark = pytest.mark.django_db


def test_snapshot_holds_the_reference_rows():
    state = make_state("MN", "Michoacán")
    point = make_point("TIJ", state=state)
    snap = cache.reference_snapshot()
    assert snap.states_by_code["MN"] == state and snap.states_by_id[state.pk] == state
    assert snap.points_by_code["TIJ"] == point and snap.points_by_id[point.pk] == point


def test_a_save_in_this_process_is_seen_at_once():
    make_state("MN", "Michoacán")
    assert "ZS" not in cache.reference_snapshot().states_by_code
    State.objects.create(code="ZS", name="Zacatecas")
    DocumentType.objects.create(code="consular_id", name="Matrícula consular")
    snap = cache.reference_snapshot()
    assert "ZS" in snap.states_by_code and "consular_id" in snap.document_codes


def test_a_change_made_elsewhere_is_seen_after_the_ttl(monkeypatch):
    make_state("MN", "Michoacán")
    assert "ZS" not in cache.reference_snapshot().states_by_code
    # queryset.update() sends no signal: like an edit made by another process.
    State.objects.filter(code="MN").update(code="ZS")
    assert "ZS" not in cache.reference_snapshot().states_by_code
    now = cache.time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + cache.TTL_SECONDS + 1)
    assert "ZS" in cache.reference_snapshot().states_by_code
