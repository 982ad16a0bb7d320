"""The audit trail is append-only in the database and hash-chained; list reads are audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from retorno.audit.integrity import audit_seal_all, audit_verify
from retorno.audit.models import AuditEntry, AuditEntryPerson
from retorno.audit.services import audit_record
from retorno.reception.tests.factories import make_desk, register
from retorno.referrals.models import Consent
from retorno.referrals.tests.factories import make_consent, make_person_at
from retorno.testing.factories import make_institution, make_user

pytestmark = pytest.mark.django_db


def _entries(n: int) -> list[AuditEntry]:
    user = make_user()
    return [audit_record(user=user, action="view", object_type="x", object_id=i) for i in range(n)]


def _behind_the_databases_back(sql: str, params=()) -> None:
    """What an operator with the database's own password could do: switch the guard off, change
    the table, switch it on again. The hash chain is what still tells."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks on the table
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute("INSERT INTO retorno_audit_maintenance (allowed) VALUES (1)")
            cursor.execute("DROP TRIGGER retorno_audit_update")
            cursor.execute(sql, params)
            cursor.execute("DELETE FROM retorno_audit_maintenance")
            from retorno.audit.integrity import SQLITE_INSTALL

            cursor.execute(SQLITE_INSTALL[1])


def test_the_database_refuses_to_change_or_delete_an_entry():
    entry = _entries(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(username="otro")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk, username=entry.username).exists()


def test_sealing_then_verifying_an_intact_chain():
    _entries(5)
    assert audit_seal_all() == 5
    assert audit_seal_all() == 0  # sealed entries stay as they are
    result = audit_verify()
    assert result.ok and result.checked == 5 and result.unsealed == 0
    # A sealed row cannot be re-sealed with another hash either.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(hash="0" * 64)


def test_verify_names_a_deleted_entry():
    entries = _entries(6)
    audit_seal_all()
    _behind_the_databases_back("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    result = audit_verify()
    assert not result.ok and result.broken_seq == 3 and "missing" in result.problem
    with pytest.raises(CommandError, match="broken at seq 3"):
        call_command("audit", "verify", verbosity=0)


def test_verify_names_a_changed_entry():
    entries = _entries(4)
    audit_seal_all()
    _behind_the_databases_back("UPDATE audit_auditentry SET username = 'nadie' WHERE id = %s", [entries[1].pk])
    result = audit_verify()
    assert not result.ok and result.broken_seq == 2 and "changed" in result.problem


def test_a_list_page_is_one_read_of_every_person_shown():
    point, officer = make_desk()
    a = register(officer, point)
    b = register(officer, point, given_names="Rosa", first_surname="Ortega")
    c = Client()
    c.force_login(officer)
    c.get("/reception/events/")
    entry = AuditEntry.objects.filter(action="search", object_type="reception.repatriationevent").latest("id")
    assert set(entry.persons.values_list("person_id", flat=True)) == {a.person_id, b.person_id}
    assert AuditEntryPerson.objects.filter(person_id=a.person_id).exists()


def test_a_consent_is_never_deleted_not_even_by_the_orm():
    person = make_person_at()
    consent = make_consent(person, make_institution())
    with pytest.raises(PermissionDenied), transaction.atomic():
        consent.delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        Consent.objects.all().delete()
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_the_admin_offers_no_delete_of_a_consent(client):
    admin = make_user("admin", is_superuser=True)
    consent = make_consent(make_person_at(), make_institution())
    client.force_login(admin)
    page = client.get(f"/admin/referrals/consent/{consent.pk}/delete/")
    assert page.status_code in (403, 302)
    assert Consent.objects.filter(pk=consent.pk).exists()
