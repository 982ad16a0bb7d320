import pytest
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.constancias.models import Constancia
from retorno.constancias.services import constancia_issue, constancia_revoke
from retorno.constancias.tests.factories import make_desk
from retorno.testing.factories import make_point, make_user

pytestmark = pytest.mark.django_db


def test_issue_url_takes_the_event_id_only():
    assert reverse("constancias:issue", args=[42]) == "/constancias/event/42/"


def test_officer_issues_from_the_event_page_and_downloads_the_pdf(client):
    _, officer, _, event = make_desk()
    client.force_login(officer)
    page = client.get(reverse("constancias:issue", args=[event.pk]))
    assert page.status_code == 200 and "Emitir constancia" in page.content.decode()
    response = client.post(reverse("constancias:issue_post", args=[event.pk]), follow=True)
    c = Constancia.objects.get(event=event)
    assert c.folio in response.content.decode()
    pdf = client.get(reverse("constancias:pdf", args=[c.folio]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="print", object_id=str(c.pk)).count() == 1


def test_get_on_issue_page_never_issues(client):
    _, officer, _, event = make_desk()
    client.force_login(officer)
    client.get(reverse("constancias:issue", args=[event.pk]))
    assert not Constancia.objects.exists()


def test_other_points_event_and_folio_are_404(client):
    _, officer, _, event = make_desk("TIJ")
    c = constancia_issue(user=officer, event=event)
    outsider = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    client.force_login(outsider)
    assert client.get(reverse("constancias:issue", args=[event.pk])).status_code == 404
    assert client.post(reverse("constancias:issue_post", args=[event.pk])).status_code == 404
    assert client.get(reverse("constancias:pdf", args=[c.folio])).status_code == 404
    assert client.get(reverse("constancias:issue", args=[999999])).status_code == 404


def test_officer_cannot_revoke_from_the_page(client):
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    client.force_login(officer)
    response = client.post(reverse("constancias:revoke", args=[c.folio]), {"reason": "Un motivo suficiente"})
    assert response.status_code == 403
    c.refresh_from_db()
    assert c.is_valid


def test_supervisor_revokes_with_reason_and_sees_error_without(client):
    _, officer, supervisor, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    client.force_login(supervisor)
    response = client.post(reverse("constancias:revoke", args=[c.folio]), {"reason": ""}, follow=True)
    assert "Escriba el motivo" in response.content.decode()
    c.refresh_from_db()
    assert c.is_valid
    client.post(reverse("constancias:revoke", args=[c.folio]), {"reason": "Registro duplicado por error"})
    c.refresh_from_db()
    assert not c.is_valid and c.revoke_reason == "Registro duplicado por error"


def test_public_verification_page_needs_no_login_and_shows_only_masked_data(client):
    _, officer, supervisor, event = make_desk()
    event.person.curp = "GAHM900517MMNRRR09"
    event.person.save()
    c = constancia_issue(user=officer, event=event)
    page = client.get(reverse("constancias:verify", args=[c.token]))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="valid"' in html
    assert c.folio in html and "M**** G******** G***** H********" in html
    for secret in ("María", "García", "Hernández", "GAHM900517MMNRRR09", "17/05/1990", "1990-05-17"):
        assert secret not in html
    constancia_revoke(user=supervisor, constancia=c, reason="Registro duplicado por error")
    html = client.get(reverse("constancias:verify", args=[c.token])).content.decode()
    assert 'data-status="revoked"' in html and "revocada el" in html


def test_verification_page_in_english(client):
    _, officer, _, event = make_desk()
    c = constancia_issue(user=officer, event=event)
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("constancias:verify", args=[c.token]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "VALID" in html and "Reception point" in html


def test_verification_page_unknown_token_is_404_not_500(client):
    for token in ("nope", "TIJ-2026-000001", "a" * 300):
        response = client.get(f"/constancias/verify/{token}/")
        assert response.status_code == 404
    assert client.get("/constancias/verify/%00/").status_code == 400
