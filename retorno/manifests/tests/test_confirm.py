from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.core.exceptions import DomainError
from retorno.manifests.models import ManifestRow
from retorno.manifests.services import (
    manifest_close_pending,
    manifest_import,
    manifest_row_arrival_data,
    manifest_row_confirm,
    manifest_row_set_status,
)
from retorno.testing.factories import make_event, make_person, make_point, make_user

from .factories import csv_bytes, make_manifest_desk

pytestmark = pytest.mark.django_db


@pytest.fixture
def manifest():
    point, officer = make_manifest_desk()
    m = manifest_import(
        user=officer,
        point=point,
        content=csv_bytes(
            "José Luis,Ramírez,Ortega,H,1985-02-14,MN,,2026-11-24 09:30,Autobús 1",
            "Guadalupe,Sánchez,Torres,M,12/07/1992,JC,,,",
        ),
        filename="lista.csv",
    )
    return m, officer


def test_prefill_comes_from_the_row(manifest):
    m, _ = manifest
    data = manifest_row_arrival_data(m.rows.get(line_number=2))
    assert (data.given_names, data.first_surname, data.second_surname) == ("José Luis", "Ramírez", "Ortega")
    assert data.sex == "H" and data.birth_state == "MN" and str(data.birth_date) == "1985-02-14"
    assert data.reception_point == m.reception_point and data.notes == "Autobús 1"


def test_confirm_creates_event_through_arrival_register_and_links_row(manifest):
    m, officer = manifest
    row = m.rows.get(line_number=2)
    event = manifest_row_confirm(user=officer, row=row, data=manifest_row_arrival_data(row))
    row.refresh_from_db()
    assert row.status == ManifestRow.Status.ARRIVED and row.event == event
    assert event.reception_point == m.reception_point and event.registered_by == officer
    assert event.person.full_name == "José Luis Ramírez Ortega" and event.age_at_arrival is not None
    with pytest.raises(DomainError):
        manifest_row_confirm(user=officer, row=row, data=manifest_row_arrival_data(row))


def test_confirm_with_bad_data_changes_nothing(manifest):
    m, officer = manifest
    row = m.rows.get(line_number=2)
    data = manifest_row_arrival_data(row)
    data.given_names = ""
    with pytest.raises(ValidationError) as exc:
        manifest_row_confirm(user=officer, row=row, data=data)
    assert "given_names" in exc.value.message_dict
    row.refresh_from_db()
    assert row.status == "pending" and row.event is None


def test_confirm_on_existing_person_and_double_entry_is_refused(manifest):
    m, officer = manifest
    row = m.rows.get(line_number=3)
    person = make_person(given_names="Guadalupe", first_surname="Sánchez", second_surname="Torres", sex="M")
    make_event(person=person, point=m.reception_point, arrived_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError):
        manifest_row_confirm(
            user=officer, row=row, data=manifest_row_arrival_data(row), existing_person_id=person.pk
        )
    row.refresh_from_db()
    assert row.status == "pending"


def test_confirm_forces_the_manifests_point(manifest):
    m, officer = manifest
    row = m.rows.get(line_number=2)
    data = manifest_row_arrival_data(row)
    data.reception_point = make_point("MXL")
    event = manifest_row_confirm(user=officer, row=row, data=data)
    assert event.reception_point == m.reception_point


def test_other_point_cannot_confirm_or_mark(manifest):
    m, _ = manifest
    row = m.rows.get(line_number=2)
    outsider = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    with pytest.raises(PermissionDenied):
        manifest_row_confirm(user=outsider, row=row, data=manifest_row_arrival_data(row))
    with pytest.raises(PermissionDenied):
        manifest_row_set_status(user=outsider, row=row, status="no_show")


def test_no_show_and_back_to_pending_but_not_after_arrival(manifest):
    m, officer = manifest
    row = m.rows.get(line_number=2)
    assert manifest_row_set_status(user=officer, row=row, status="no_show").status == "no_show"
    with pytest.raises(DomainError):
        manifest_row_confirm(user=officer, row=row, data=manifest_row_arrival_data(row))
    assert manifest_row_set_status(user=officer, row=row, status="pending").status == "pending"
    with pytest.raises(ValidationError):
        manifest_row_set_status(user=officer, row=row, status="arrived")
    manifest_row_confirm(user=officer, row=row, data=manifest_row_arrival_data(row))
    with pytest.raises(DomainError):
        manifest_row_set_status(user=officer, row=row, status="no_show")


def test_close_marks_only_pending_rows_as_no_show_and_audits(manifest):
    from retorno.audit.models import AuditEntry

    m, officer = manifest
    arrived = m.rows.get(line_number=2)
    manifest_row_confirm(user=officer, row=arrived, data=manifest_row_arrival_data(arrived))
    assert manifest_close_pending(user=officer, manifest=m) == 1
    assert dict(m.rows.values_list("line_number", "status")) == {2: "arrived", 3: "no_show"}
    assert AuditEntry.objects.filter(object_type="manifests.manifest", detail__closed_pending=1).exists()
    assert manifest_close_pending(user=officer, manifest=m) == 0
    with pytest.raises(PermissionDenied):
        manifest_close_pending(user=make_user(Role.RECEPTION_OFFICER, point=make_point("MXL")), manifest=m)
