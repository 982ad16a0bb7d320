import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from retorno.accounts.models import Role
from retorno.policy.models import ProgressReport
from retorno.policy.tests.factories import load_catalog, make_caseworker, make_report
from retorno.testing.factories import make_point, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catalog(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_catalog()


def _form(**kw):
    data = {
        "line": "4.4.3",
        "period": "2026-S1",
        "status": "in_progress",
        "narrative": "Ferias de empleo",
        "figures": "Personas vinculadas = 1,200 personas\nFerias = 3",
        "evidence_links": "https://example.org/x",
    }
    data.update(kw)
    return data


def test_caseworker_files_a_report_with_a_pdf_through_the_form(client):
    caseworker = make_caseworker()
    client.force_login(caseworker)
    data = _form(
        evidence_files=[SimpleUploadedFile("acta.pdf", b"%PDF-1.4 test", content_type="application/pdf")]
    )
    response = client.post("/policy/reports/new/", data)
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response.url == f"/policy/reports/{report.pk}/"
    assert report.figures[0] == {"label": "Personas vinculadas", "value": 1200.0, "unit": "personas"}
    assert report.institution == caseworker.institution
    page = client.get(response.url)
    assert "acta.pdf" in page.content.decode()
    evidence = report.evidence_files.get()
    download = client.get(f"/policy/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_form_shows_errors_and_saves_nothing_for_a_disallowed_file(client):
    client.force_login(make_caseworker())
    data = _form(evidence_files=[SimpleUploadedFile("virus.pdf", b"MZ...", content_type="application/pdf")])
    response = client.post("/policy/reports/new/", data)
    assert response.status_code == 200
    assert "virus.pdf" in response.content.decode() and "no es PDF" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_form_rejects_badly_written_figures(client):
    client.force_login(make_caseworker())
    response = client.post("/policy/reports/new/", _form(figures="sin signo igual"))
    assert "etiqueta = valor" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_other_caseworkers_cannot_see_or_download_a_report(client):
    report = make_report()
    client.force_login(make_caseworker())
    assert client.get(f"/policy/reports/{report.pk}/").status_code == 404
    assert client.get(f"/policy/reports/{report.pk}/edit/").status_code == 404


def test_supervisor_marks_a_report_reviewed_from_its_page(client):
    report = make_report()
    client.force_login(make_user(Role.SUPERVISOR))
    assert "Marcar como revisado" in client.get(f"/policy/reports/{report.pk}/").content.decode()
    client.post(f"/policy/reports/{report.pk}/review/", {"note": "Correcto"})
    report.refresh_from_db()
    assert report.reviewed_at is not None and report.review_note == "Correcto"


def test_point_supervisor_cannot_review(client):
    report = make_report()
    client.force_login(make_user(Role.SUPERVISOR, point=make_point()))
    assert client.post(f"/policy/reports/{report.pk}/review/", {"note": "x"}).status_code in (302, 403)
    report.refresh_from_db()
    assert report.reviewed_at is None


def test_coverage_page_lists_gaps(client):
    make_report(line="1.5.2", period="2026-S2")
    client.force_login(make_user(Role.SUPERVISOR))
    html = client.get("/policy/coverage/?strategy=1.5&until=2026-S2").content.decode()
    assert "2026-S2: 1 de 10 líneas con informe" in html
    gaps = client.get("/policy/coverage/?strategy=1.5&until=2026-S2&gaps=1").content.decode()
    assert 'href="/policy/lines/1.5.1/"' in gaps and 'href="/policy/lines/1.5.2/"' not in gaps


def test_reception_officers_do_not_reach_policy_pages(client):
    client.force_login(make_user(Role.RECEPTION_OFFICER, point=make_point()))
    assert client.get("/policy/").status_code == 403
    assert client.get("/policy/report/?period=2026&format=pdf").status_code == 403


def test_pages_render_in_english(client):
    client.force_login(make_user(Role.ANALYST))
    client.cookies["django_language"] = "en"
    html = client.get("/policy/compact/").content.decode()
    assert "Global Compact for Safe, Orderly and Regular Migration: 23 objectives" in html
    assert "Cooperate in facilitating safe and dignified return" in html
    assert "no data / query not available" in client.get("/policy/indicators/?period=2026").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/policy/?gcm=99999999999&objective=" + "x" * 300,
        "/policy/reports/?period=2026-S9&institution=-1&page=zz",
        "/policy/coverage/?by=Z&until=9999-S9&institution=abc",
        "/policy/report/?period=bad&format=pdf",
        "/policy/lines/%20/",
    ],
)
def test_odd_query_strings_never_500(client, url):
    client.force_login(make_user(Role.ADMIN))
    assert client.get(url).status_code in (200, 404)


def test_nul_in_query_string_is_400(client):
    client.force_login(make_user(Role.ADMIN))
    response = client.get("/policy/indicators/?period=%00")
    assert response.status_code == 400 and "nulo" in response.content.decode()
