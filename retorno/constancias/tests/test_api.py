import io

import pytest
from pypdf import PdfReader

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.constancias.models import Constancia
from retorno.constancias.tests.factories import make_desk
from retorno.testing.factories import make_point, make_token, make_user

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def test_api_issue_returns_pdf_then_409_on_second_issue(client):
    _, officer, _, event = make_desk()
    headers = auth(officer)
    response = client.post(f"/api/constancias/events/{event.pk}", **headers)
    assert response.status_code == 201 and response["Content-Type"] == "application/pdf"
    folio = response["X-Folio"]
    assert folio in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    again = client.post(f"/api/constancias/events/{event.pk}", **headers)
    assert again.status_code == 409 and folio in again.json()["detail"]


def test_api_reprint_is_audited_and_list_shows_state(client):
    _, officer, _, event = make_desk()
    headers = auth(officer)
    folio = client.post(f"/api/constancias/events/{event.pk}", **headers)["X-Folio"]
    response = client.get(f"/api/constancias/{folio}/pdf", **headers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="print").count() == 2
    listed = client.get(f"/api/constancias/events/{event.pk}", **headers).json()
    assert listed[0]["folio"] == folio and listed[0]["print_count"] == 2 and listed[0]["valid"]


def test_api_revoke_permissions_reason_and_public_verify(client):
    _, officer, supervisor, event = make_desk()
    folio = client.post(f"/api/constancias/events/{event.pk}", **auth(officer))["X-Folio"]
    token = Constancia.objects.get(folio=folio).token
    body = {"reason": "Persona equivocada en el registro"}
    assert (
        client.post(
            f"/api/constancias/{folio}/revoke", body, content_type="application/json", **auth(officer)
        ).status_code
        == 403
    )
    bad = client.post(
        f"/api/constancias/{folio}/revoke",
        {"reason": ""},
        content_type="application/json",
        **auth(supervisor),
    )
    assert bad.status_code == 400 and "reason" in bad.json()["errors"]
    assert client.get(f"/api/constancias/verify/{token}").json()["valid"] is True
    ok = client.post(
        f"/api/constancias/{folio}/revoke", body, content_type="application/json", **auth(supervisor)
    )
    assert ok.status_code == 200 and ok.json()["valid"] is False
    public = client.get(f"/api/constancias/verify/{token}").json()
    assert public["valid"] is False and public["revoked_on"]
    assert set(public) == {"folio", "reception_point", "date", "holder", "valid", "revoked_on", "superseded"}
    assert client.get(f"/api/constancias/{folio}/pdf", **auth(officer)).status_code == 409


def test_api_other_point_gets_404_and_unknown_token_404(client):
    _, officer, _, event = make_desk("TIJ")
    folio = client.post(f"/api/constancias/events/{event.pk}", **auth(officer))["X-Folio"]
    outsider = make_user(Role.SUPERVISOR, point=make_point("MXL"))
    assert client.post(f"/api/constancias/events/{event.pk}", **auth(outsider)).status_code == 404
    assert client.get(f"/api/constancias/{folio}/pdf", **auth(outsider)).status_code == 404
    assert client.get("/api/constancias/verify/not-a-token").status_code == 404
    assert client.post(f"/api/constancias/events/{event.pk}").status_code == 401


def test_api_junk_folio_and_token_are_404(client):
    _, officer, _, _ = make_desk()
    headers = auth(officer)
    for folio in ("TIJ-2026-000001", "x" * 300):
        assert client.get(f"/api/constancias/{folio}/pdf", **headers).status_code == 404
    for token in ("a" * 300, "abc"):
        assert client.get(f"/api/constancias/verify/{token}").status_code == 404
    # A NUL byte is refused before any lookup (core.middleware), with a JSON message.
    for url in ("/api/constancias/%00/pdf", "/api/constancias/TIJ%00-2026-000001/pdf", "/api/constancias/verify/%00"):
        response = client.get(url, **headers)
        assert response.status_code == 400 and "nulo" in response.json()["detail"]
