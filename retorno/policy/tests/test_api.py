import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from retorno.accounts.models import Role
from retorno.policy.models import Indicator, ProgressReport
from retorno.policy.services import MSG_DUPLICATE, MSG_UNKNOWN_LINE
from retorno.policy.tests.factories import (
    load_catalog,
    make_caseworker,
    make_indicator,
    make_report,
    registered_query,
)
from retorno.testing.factories import make_institution, make_token, make_user

pytestmark = pytest.mark.django_db
PAYLOAD = {
    "line": "4.4.3",
    "period": "2026-S1",
    "status": "done",
    "narrative": "Ferias de empleo",
    "figures": [{"label": "Personas", "value": 12}],
    "evidence_links": ["https://example.org/a"],
}


@pytest.fixture(autouse=True)
def _catalog(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_catalog()


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"}


def _post(client, user, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json", **_auth(user))


def test_catalog_endpoints_return_the_full_catalog(client):
    user = make_user(Role.ANALYST)
    objectives = client.get("/api/policy/objectives", **_auth(user)).json()
    assert len(objectives) == 5 and sum(len(o["strategies"]) for o in objectives) == 26
    assert len(client.get("/api/policy/lines", **_auth(user)).json()) == 195
    gcm = client.get("/api/policy/gcm-objectives", **_auth(user)).json()
    assert len(gcm) == 23 and "4.6.1" in gcm[20]["pem_lines"]
    lines_21 = client.get("/api/policy/lines?gcm=21", **_auth(user)).json()
    assert all(21 in line["gcm_objectives"] for line in lines_21)


def test_indicators_endpoint_values_and_unavailable_queries(client):
    make_indicator(query="policy_api_test", code="T-API", target_value=10, target_year=2027)
    analyst = _auth(make_user(Role.ANALYST))
    pending = client.get("/api/policy/indicators?period=2026", **analyst).json()
    assert {r["state"] for r in pending} == {"pending"} and pending[0]["computed_at"] is None
    with registered_query("policy_api_test", lambda p, f: 5):
        job = client.post(
            "/api/policy/indicators/compute", {"period": "2026"}, content_type="application/json", **analyst
        )
    assert job.status_code == 202 and job.json()["status"] == "done", job.content
    rows = client.get("/api/policy/indicators?period=2026", **analyst).json()
    by_code = {r["code"]: r for r in rows}
    assert by_code["T-API"]["value"] == 5 and by_code["T-API"]["progress_pct"] == 50.0
    assert by_code["T-API"]["computed_at"] is not None
    assert len(rows) == Indicator.objects.count() > 12  # the pack's indicators and the test's
    unregistered = make_indicator(query="policy_api_never_registered", code="T-NONE")
    client.post(
        "/api/policy/indicators/compute", {"period": "2026"}, content_type="application/json", **analyst
    )
    rows = client.get("/api/policy/indicators?period=2026", **analyst).json()
    assert {r["code"]: r for r in rows}[unregistered.code]["state"] == "unavailable"


def test_caseworker_files_through_the_api(client):
    caseworker = make_caseworker()
    response = _post(client, caseworker, "/api/policy/reports", PAYLOAD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["institution_id"] == caseworker.institution_id and body["figures"][0]["value"] == 12
    again = _post(client, caseworker, "/api/policy/reports", PAYLOAD)
    assert again.status_code == 409 and again.json()["detail"] == str(MSG_DUPLICATE)


def test_analyst_files_nothing(client):
    response = _post(
        client,
        make_user(Role.ANALYST),
        "/api/policy/reports",
        {**PAYLOAD, "institution_id": make_institution().pk},
    )
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_caseworker_cannot_name_another_institution(client):
    response = _post(
        client, make_caseworker(), "/api/policy/reports", {**PAYLOAD, "institution_id": make_institution().pk}
    )
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_bad_input_is_a_400_with_messages_and_saves_nothing(client):
    response = _post(
        client, make_caseworker(), "/api/policy/reports", {**PAYLOAD, "line": "9.9.9", "status": "x"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["line"] == [str(MSG_UNKNOWN_LINE)] and "status" in body["errors"]
    assert _post(client, make_caseworker(), "/api/policy/reports", {"line": 5}).status_code == 422
    assert ProgressReport.objects.count() == 0


def test_errors_come_in_english_when_asked(client):
    response = client.post(
        "/api/policy/reports",
        data=json.dumps({**PAYLOAD, "line": "9.9.9"}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **_auth(make_caseworker()),
    )
    assert response.json()["errors"]["line"] == ["Unknown line of action."]


def test_list_is_scoped_and_filterable(client):
    mine = make_institution()
    make_report(institution=mine, period="2026-S1")
    make_report(institution=make_institution(), line="4.4.1", period="2026-S2")
    own = client.get("/api/policy/reports", **_auth(make_caseworker(mine))).json()
    assert own["count"] == 1
    analyst = _auth(make_user(Role.ANALYST))
    assert client.get("/api/policy/reports", **analyst).json()["count"] == 2
    assert client.get("/api/policy/reports?period=2026-S2", **analyst).json()["count"] == 1
    assert client.get("/api/policy/reports?period=nope", **analyst).status_code == 400
    assert client.get("/api/policy/reports", **_auth(make_user(Role.RECEPTION_OFFICER))).status_code == 403


def test_review_endpoint_for_national_supervisors_only(client):
    report = make_report()
    url = f"/api/policy/reports/{report.pk}/review"
    assert _post(client, make_user(Role.ANALYST), url, {}).status_code == 403
    response = _post(client, make_user(Role.SUPERVISOR), url, {"note": "ok"})
    assert response.status_code == 200 and response.json()["reviewed"] is True
    assert _post(client, make_user(Role.SUPERVISOR), url, {}).status_code == 409


def test_evidence_upload_checks_type_and_size(client, settings):
    settings.RETORNO_POLICY_MAX_EVIDENCE_BYTES = 2048
    caseworker = make_caseworker()
    report = make_report(institution=caseworker.institution)
    url = f"/api/policy/reports/{report.pk}/evidence"
    ok = client.post(url, {"files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")]}, **_auth(caseworker))
    assert ok.status_code == 201 and ok.json()["evidence_files"] == ["a.pdf"]
    bad = client.post(url, {"files": [SimpleUploadedFile("a.pdf", b"<html>")]}, **_auth(caseworker))
    big = client.post(
        url, {"files": [SimpleUploadedFile("b.pdf", b"%PDF-" + b"0" * 4096)]}, **_auth(caseworker)
    )
    assert bad.status_code == 400 and big.status_code == 400
    assert report.evidence_files.count() == 1


def test_coverage_endpoint(client):
    report = make_report(line="1.5.2", period="2026-S1")
    body = client.get(
        "/api/policy/coverage?periods=2026-S1,2026-S2&strategy=1.5", **_auth(make_user(Role.SUPERVISOR))
    ).json()
    assert body["periods"] == ["2026-S1", "2026-S2"] and body["lines_total"] == 10
    assert body["lines_covered"] == [1, 0]
    assert {"line": "1.5.2", "reports": [[report.pk], []]} in body["rows"]
    assert client.get("/api/policy/coverage?periods=", **_auth(make_user(Role.SUPERVISOR))).status_code == 400


def test_document_endpoint_prepares_pdf_and_docx_in_the_background(client):
    auth = _auth(make_user(Role.ANALYST))

    def prepared(fmt):
        job = client.post(
            "/api/policy/documents",
            {"period": "2026", "format": fmt},
            content_type="application/json",
            **auth,
        )
        assert job.status_code == 202, job.content
        body = job.json()
        assert body["status"] == "done" and body["download_url"] == f"/api/jobs/{body['id']}/result"
        return client.get(body["download_url"], **auth)

    pdf = prepared("pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    docx = prepared("docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    bad = client.post(
        "/api/policy/documents", {"period": "2026", "format": "exe"}, content_type="application/json", **auth
    )
    assert bad.status_code == 422
    # Another user does not reach the job, nor its file.
    other = _auth(make_user(Role.ANALYST))
    job_id = client.get("/api/jobs/", **auth).json()["items"][0]["id"]
    assert client.get(f"/api/jobs/{job_id}/result", **other).status_code == 404
