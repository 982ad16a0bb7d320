import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.constancias.models import Constancia
from retorno.constancias.services import (
    MSG_REASON_REQUIRED,
    constancia_issue,
    constancia_print,
    constancia_revoke,
    constancia_verification,
    folio_allocate,
    mask_name,
    verification_url,
)
from retorno.constancias.tests.factories import make_desk
from retorno.core.exceptions import DomainError
from retorno.testing.factories import make_event, make_person, make_point, make_user

pytestmark = pytest.mark.django_db


def test_folio_has_point_year_and_six_digit_number_and_counts_per_point():
    point, officer, _, event = make_desk("TIJ")
    other_point, other_officer, _, other_event = make_desk("MXL")
    first = constancia_issue(user=officer, event=event)
    second = constancia_issue(
        user=officer, event=make_event(person=make_person(given_names="Pedro"), point=point)
    )
    elsewhere = constancia_issue(user=other_officer, event=other_event)
    year = timezone.localdate().year
    assert first.folio == f"TIJ-{year}-000001"
    assert second.folio == f"TIJ-{year}-000002"
    assert elsewhere.folio == f"MXL-{year}-000001"
    assert re.fullmatch(r"[A-Z]+-\d{4}-\d{6}", first.folio)


def test_folio_counter_restarts_each_year():
    point = make_point("TIJ")
    assert folio_allocate(point=point, year=2025) == 1
    assert folio_allocate(point=point, year=2025) == 2
    assert folio_allocate(point=point, year=2026) == 1


def test_issue_snapshots_holder_and_audits_creation():
    point, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    assert c.holder_name == "María Guadalupe García Hernández"
    assert c.reception_point == point and c.arrived_at == event.arrived_at
    assert len(c.token) >= 24 and c.folio not in c.token
    entry = AuditEntry.objects.get(action="create", object_type="constancias.constancia")
    assert entry.person_id == event.person_id and entry.detail["folio"] == c.folio


def test_second_issue_for_same_event_is_refused_while_valid():
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    with pytest.raises(DomainError) as exc:
        constancia_issue(user=officer, event=event)
    assert c.folio in str(exc.value.message)
    assert Constancia.objects.count() == 1


def test_officer_of_other_point_cannot_issue():
    _, _, _, event = make_desk("TIJ")
    outsider = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    with pytest.raises(PermissionDenied):
        constancia_issue(user=outsider, event=event)
    assert not Constancia.objects.exists()


def test_caseworker_and_analyst_cannot_issue():
    _, _, _, event = make_desk()
    for role in (Role.CASEWORKER, Role.ANALYST):
        with pytest.raises(PermissionDenied):
            constancia_issue(user=make_user(role), event=event)


def test_every_print_is_audited_and_counted_as_reprint_after_the_first():
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    constancia_print(user=officer, constancia=c)
    constancia_print(user=officer, constancia=c)
    prints = AuditEntry.objects.filter(action="print", object_id=str(c.pk)).order_by("id")
    assert [e.detail["reprint"] for e in prints] == [False, True]
    assert all(e.person_id == event.person_id for e in prints)
    c.refresh_from_db()
    assert c.print_count == 2


def test_revoke_requires_reason_and_changes_nothing_without_it():
    _, officer, supervisor, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    for reason in ("", "   ", "corto"):
        with pytest.raises(ValidationError) as exc:
            constancia_revoke(user=supervisor, constancia=c, reason=reason)
        assert exc.value.message_dict["reason"] == [str(MSG_REASON_REQUIRED)]
    c.refresh_from_db()
    assert c.is_valid
    assert not AuditEntry.objects.filter(action="revoke").exists()


def test_revoke_is_for_supervisors_and_admins_only():
    point, officer, supervisor, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    with pytest.raises(PermissionDenied):
        constancia_revoke(user=officer, constancia=c, reason="Nombre mal escrito en el registro")
    other_supervisor = make_user(Role.SUPERVISOR, point=make_point("MXL"))
    with pytest.raises(PermissionDenied):
        constancia_revoke(user=other_supervisor, constancia=c, reason="Nombre mal escrito en el registro")
    admin = make_user(Role.ADMIN)
    revoked = constancia_revoke(user=admin, constancia=c, reason="Nombre mal escrito en el registro")
    assert revoked.revoked_at is not None and revoked.revoked_by == admin


def test_revoke_is_audited_with_reason_and_cannot_repeat():
    _, officer, supervisor, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    constancia_revoke(user=supervisor, constancia=c, reason="Datos de identidad incorrectos")
    entry = AuditEntry.objects.get(action="revoke")
    assert entry.detail == {"folio": c.folio, "reason": "Datos de identidad incorrectos"}
    assert entry.person_id == event.person_id
    with pytest.raises(DomainError):
        constancia_revoke(user=supervisor, constancia=c, reason="Datos de identidad incorrectos")


def test_revoked_constancia_cannot_be_printed_but_is_superseded_by_a_new_one():
    _, officer, supervisor, event = make_desk()
    old = constancia_issue(user=officer, event=event)
    constancia_revoke(user=supervisor, constancia=old, reason="Fecha de llegada equivocada")
    with pytest.raises(DomainError):
        constancia_print(user=officer, constancia=old)
    new = constancia_issue(user=officer, event=event)
    old.refresh_from_db()
    assert old.superseded_by == new
    assert new.number == old.number + 1 and new.token != old.token


def test_mask_name_keeps_initials_and_lengths():
    assert mask_name("María García Hernández") == "M**** G***** H********"
    assert mask_name("  Ana  ") == "A**"
    assert mask_name("") == ""


def test_verification_shows_minimum_and_never_full_name_curp_or_birth_date():
    _, officer, supervisor, event = make_desk()
    event.person.curp = "GAHM900517MMNRRR09"
    event.person.save()
    c = constancia_issue(user=officer, event=event)
    result = constancia_verification(token=c.token)
    assert result["valid"] is True and result["folio"] == c.folio
    assert result["holder"] == "M**** G******** G***** H********"
    flat = repr(result)
    for secret in ("María", "García", "GAHM900517", "1990"):
        assert secret not in flat
    constancia_revoke(user=supervisor, constancia=c, reason="Persona registrada dos veces")
    result = constancia_verification(token=c.token)
    assert result["valid"] is False and result["revoked_on"] == timezone.localdate()


def test_verification_unknown_or_folio_as_token_finds_nothing():
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    assert constancia_verification(token=c.folio) is None
    assert constancia_verification(token="") is None
    assert constancia_verification(token="x" * 500) is None


def test_verification_url_uses_public_base(settings):
    settings.RETORNO_PUBLIC_URL = "https://retorno.example.gob.mx/"
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    assert verification_url(c) == f"https://retorno.example.gob.mx/constancias/verify/{c.token}/"
