import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from retorno.accounts.models import Role
from retorno.testing.factories import make_point, make_token, make_user

from .factories import csv_bytes, make_manifest_desk, xlsx_bytes

pytestmark = pytest.mark.django_db

CONTENT = csv_bytes(
    "José Luis,Ramírez,Ortega,H,1985-02-14,MN,,2026-11-24 09:30,Autobús 1",
    "Ana,,,M,,,,,",
)


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def upload(client, headers, content=CONTENT, point="TIJ", name="lista.csv"):
    return client.post(
        "/api/manifests/", {"point": point, "file": SimpleUploadedFile(name, content)}, **headers
    )


def test_upload_list_rows_and_confirm(client):
    _, officer = make_manifest_desk()
    headers = auth(officer)
    response = upload(client, headers)
    assert response.status_code == 201
    body = response.json()
    assert body["row_count"] == 1 and body["error_line_count"] == 1
    assert body["issues"] == [
        {
            "line": 3,
            "column": "primer_apellido",
            "code": "surname_required",
            "message": "Escriba al menos un apellido.",
            "value": "",
        }
    ]
    listed = client.get("/api/manifests/", **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    rows = client.get(f"/api/manifests/{body['id']}/rows", **headers).json()
    assert rows[0]["given_names"] == "José Luis" and rows[0]["status"] == "pending"
    confirmed = client.post(
        f"/api/manifests/{body['id']}/rows/{rows[0]['id']}/confirm",
        {"destination_state": "MN"},
        content_type="application/json",
        **headers,
    )
    assert confirmed.status_code == 201
    assert confirmed.json()["row"]["status"] == "arrived" and confirmed.json()["row"]["event_id"]
    again = client.post(
        f"/api/manifests/{body['id']}/rows/{rows[0]['id']}/confirm",
        {},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 409


def test_confirm_with_invalid_override_is_400_and_row_stays_pending(client):
    _, officer = make_manifest_desk()
    headers = auth(officer)
    mid = upload(client, headers).json()["id"]
    row = client.get(f"/api/manifests/{mid}/rows", **headers).json()[0]
    bad = client.post(
        f"/api/manifests/{mid}/rows/{row['id']}/confirm",
        {"sex": "Q"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and "sex" in bad.json()["errors"]
    wrong_type = client.post(
        f"/api/manifests/{mid}/rows/{row['id']}/confirm",
        {"arrived_at": "yesterday"},
        content_type="application/json",
        **headers,
    )
    assert wrong_type.status_code == 422
    assert client.get(f"/api/manifests/{mid}/rows", **headers).json()[0]["status"] == "pending"


def test_refused_files_are_400_with_file_error(client, settings):
    _, officer = make_manifest_desk()
    headers = auth(officer)
    assert upload(client, headers, content=b"").status_code in (400, 422)
    bad = upload(client, headers, content=b"PK\x03\x04junk", name="x.xlsx")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    settings.RETORNO_MAX_UPLOAD_BYTES = 10
    big = upload(client, headers)
    assert big.status_code == 400 and "10 bytes" in big.json()["detail"]


def test_xlsx_upload(client):
    _, officer = make_manifest_desk()
    content = xlsx_bytes([["nombre", "apellido", "sexo"], ["Ana", "Ruiz", "M"]])
    response = upload(client, auth(officer), content=content, name="lista.xlsx")
    assert response.status_code == 201 and response.json()["file_format"] == "xlsx"


def test_isolation_between_points(client):
    _, officer = make_manifest_desk("TIJ")
    mid = upload(client, auth(officer)).json()["id"]
    outsider = auth(make_user(Role.RECEPTION_OFFICER, point=make_point("MXL")))
    assert client.get(f"/api/manifests/{mid}", **outsider).status_code == 404
    assert client.get(f"/api/manifests/{mid}/rows", **outsider).status_code == 404
    assert client.get("/api/manifests/", **outsider).json()["count"] == 0
    assert upload(client, outsider, point="TIJ").status_code == 404
    # A role without manifests at all is refused outright (403), an outsider's point is hidden (404).
    assert client.get("/api/manifests/", **auth(make_user(Role.ANALYST))).status_code == 403
    assert upload(client, auth(make_user(Role.ANALYST))).status_code == 403


def test_nul_bytes_and_junk_in_parameters_are_handled(client):
    _, officer = make_manifest_desk()
    headers = auth(officer)
    assert upload(client, headers, point="T\x00IJ").status_code == 400  # refused, never a 500
    assert upload(client, headers, point="ZZZ").status_code == 404
    response = client.post(
        "/api/manifests/",
        {"point": "TIJ", "title": "bus\x00 1", "file": SimpleUploadedFile("a.csv", CONTENT)},
        **headers,
    )
    assert response.status_code == 400
    response = client.post(
        "/api/manifests/",
        {"point": "TIJ", "title": "bus 1", "file": SimpleUploadedFile("a\x00.csv", CONTENT)},
        **headers,
    )
    assert response.status_code == 201 and response.json()["title"] == "bus 1"
    assert client.get("/api/manifests/999999", **headers).status_code == 404
    assert client.get("/api/manifests/abc", **headers).status_code == 422


def test_close_endpoint(client):
    _, officer = make_manifest_desk()
    headers = auth(officer)
    mid = upload(client, headers).json()["id"]
    assert client.post(f"/api/manifests/{mid}/close", **headers).json() == {"closed": 1}
    outsider = auth(make_user(Role.RECEPTION_OFFICER, point=make_point("MXL")))
    assert client.post(f"/api/manifests/{mid}/close", **outsider).status_code == 404
