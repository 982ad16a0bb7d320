from datetime import UTC, datetime

import pytest
from django.forms.models import model_to_dict

from retorno.audit.models import AuditEntry
from retorno.core.db import insert_all
from retorno.testing.factories import make_person

pytestmark = pytest.mark.django_db


def _entry(**kw):
    values = dict(
        at=datetime(2026, 12, 2, 10, 30, 15, 123456, tzinfo=UTC),
        username="ana",
        role="reception_officer",
        action="create",
        object_type="identity.person",
        object_id="7",
        person_id=7,
        detail={"repeat": False, "names": ["María", "José"], "n": 2},
        ip="2001:db8::1",
        path="/api/reception/events",
        channel="api",
    )
    return AuditEntry(**{**values, **kw})


def test_rows_written_by_insert_all_read_back_as_the_orms():
    ours, orm = [_entry(), _entry(ip=None, detail={})], [_entry(), _entry(ip=None, detail={})]
    insert_all(ours)
    for entry in orm:
        entry.save(force_insert=True)
    assert all(e.pk and not e._state.adding for e in ours)
    assert len({e.pk for e in ours + orm}) == 4  # ids set from RETURNING, in VALUES order
    for mine, theirs in zip(ours, orm, strict=True):
        read_mine, read_theirs = AuditEntry.objects.get(pk=mine.pk), AuditEntry.objects.get(pk=theirs.pk)
        assert model_to_dict(read_mine, exclude=["id"]) == model_to_dict(read_theirs, exclude=["id"])
        assert read_mine.at == mine.at and read_mine.detail == mine.detail


def test_insert_all_of_nothing_writes_nothing():
    insert_all([])
    assert not AuditEntry.objects.exists()


def test_a_refused_row_raises_the_databases_error():
    from django.db import IntegrityError, transaction

    taken = make_person(curp="HEGG560427MVZRRL04")
    clash = type(taken)(given_names="Otra", first_surname="Persona", sex="M", curp=taken.curp)
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_all([clash])
    assert clash.pk is None
