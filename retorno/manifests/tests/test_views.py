import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.manifests.models import Manifest
from retorno.manifests.services import manifest_import
from retorno.reception.models import RepatriationEvent
from retorno.testing.factories import make_event, make_person, make_point, make_user

from .factories import csv_bytes, make_manifest_desk

pytestmark = pytest.mark.django_db

CONTENT = csv_bytes(
    "José Luis,Ramírez,Ortega,H,1985-02-14,MN,,2026-11-24 09:30,Autobús 1",
    'Pedro,=HYPERLINK("http://x"),Díaz,X,,,,,',
)


@pytest.fixture
def desk(client):
    point, officer = make_manifest_desk()
    client.force_login(officer)
    return point, officer


def test_upload_page_imports_and_shows_rows_and_line_errors(client, desk):
    point, _ = desk
    upload = SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")
    response = client.post(reverse("manifests:list"), {"point": point.pk, "title": "Bus 1", "file": upload})
    m = Manifest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("manifests:detail", args=[m.pk])
    html = client.get(response["Location"]).content.decode()
    assert "José Luis Ramírez Ortega" in html and "Confirmar llegada" in html
    assert "La celda contiene una fórmula" in html and "Sexo no reconocido" in html
    assert AuditEntry.objects.filter(action="view", object_type="manifests.manifest").exists()


def test_refused_upload_shows_the_reason_and_stores_nothing(client, desk, settings):
    point, _ = desk
    settings.RETORNO_MAX_UPLOAD_BYTES = 50
    upload = SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")
    response = client.post(reverse("manifests:list"), {"point": point.pk, "file": upload})
    assert response.status_code == 200 and "el máximo es 50 bytes" in response.content.decode()
    settings.RETORNO_MAX_UPLOAD_BYTES = 5_000_000
    empty = SimpleUploadedFile("lista.csv", b"\n\n", content_type="text/csv")
    response = client.post(reverse("manifests:list"), {"point": point.pk, "file": empty})
    assert response.status_code == 200 and "vacío" in response.content.decode()
    assert not Manifest.objects.exists()


def test_officer_cannot_upload_for_another_point(client, desk):
    other = make_point("MXL")
    upload = SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")
    response = client.post(reverse("manifests:list"), {"point": other.pk, "file": upload})
    assert response.status_code == 200 and not Manifest.objects.exists()


def test_error_report_csv_escapes_formulas(client, desk):
    point, officer = desk
    m = manifest_import(user=officer, point=point, content=CONTENT, filename="x.csv")
    body = client.get(reverse("manifests:issues_csv", args=[m.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_confirm_page_is_prefilled_shows_candidates_and_registers(client, desk):
    point, officer = desk
    m = manifest_import(user=officer, point=point, content=CONTENT, filename="x.csv")
    row = m.rows.get()
    known = make_person(
        given_names="José Luis", first_surname="Ramírez", second_surname="Ortega", birth_date=row.birth_date
    )
    make_event(person=known, point=make_point("MXL"))
    url = reverse("manifests:confirm", args=[m.pk, row.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'value="José Luis"' in html and 'value="Ramírez"' in html and 'value="1985-02-14"' in html
    # The desk's candidate search: another point's person shows a masked CURP and a ticket.
    [choice] = [c for c in page.context["candidates"] if c.person_id == known.pk]
    assert f'name="person" value="{known.pk}|{choice.match_ticket}"' in html and choice.in_scope is False
    assert AuditEntry.objects.filter(action="search", detail__manifest_row=row.pk).exists()
    form = {
        "person": f"{known.pk}|{choice.match_ticket}",
        "access_reason": "La persona está presente en este punto: nueva llegada.",
        "given_names": "José Luis",
        "first_surname": "Ramírez",
        "second_surname": "Ortega",
        "sex": "H",
        "birth_date": "1985-02-14",
        "birth_state": "MN",
        "arrived_at": page.context["form"].initial["arrived_at"],
        "mode": "land",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "arrived" and row.event.person == known
    assert RepatriationEvent.objects.filter(person=known).count() == 2
    html = client.get(reverse("manifests:detail", args=[m.pk])).content.decode()
    assert reverse("constancias:issue", args=[row.event_id]) in html


def test_confirm_with_errors_rerenders_with_messages(client, desk):
    point, officer = desk
    m = manifest_import(user=officer, point=point, content=CONTENT, filename="x.csv")
    row = m.rows.get()
    url = reverse("manifests:confirm", args=[m.pk, row.pk])
    response = client.post(
        url, {"person": "new", "given_names": "", "sex": "Z", "arrived_at": "nope", "mode": "x"}
    )
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "person": "new",
            "given_names": "",
            "first_surname": "R",
            "sex": "H",
            "arrived_at": "2026-01-01T10:00",
            "mode": "land",
        },
    )
    assert response.status_code == 200 and "Escriba el nombre" in response.content.decode()
    row.refresh_from_db()
    assert row.status == "pending"


def test_other_points_and_other_roles_get_404(client, desk):
    point, officer = desk
    m = manifest_import(user=officer, point=point, content=CONTENT, filename="x.csv")
    row = m.rows.get()
    # Another point's officer: the manifest is hidden (404); a role without manifests: 403.
    for user, status in (
        (make_user(Role.RECEPTION_OFFICER, point=make_point("MXL")), 404),
        (make_user(Role.CHILD_PROTECTION, point=point), 403),
    ):
        client.force_login(user)
        assert client.get(reverse("manifests:detail", args=[m.pk])).status_code == status
        assert client.get(reverse("manifests:confirm", args=[m.pk, row.pk])).status_code == status
        assert (
            client.post(
                reverse("manifests:row_status", args=[m.pk, row.pk]), {"status": "no_show"}
            ).status_code
            == status
        )
        assert client.get(reverse("manifests:issues_csv", args=[m.pk])).status_code == status
    client.force_login(make_user(Role.SUPERVISOR, point=point))
    assert client.get(reverse("manifests:detail", args=[m.pk])).status_code == 200


def test_no_show_button(client, desk):
    point, officer = desk
    m = manifest_import(user=officer, point=point, content=CONTENT, filename="x.csv")
    row = m.rows.get()
    client.post(reverse("manifests:row_status", args=[m.pk, row.pk]), {"status": "no_show"})
    row.refresh_from_db()
    assert row.status == "no_show"
    response = client.post(
        reverse("manifests:row_status", args=[m.pk, row.pk]), {"status": "bogus"}, follow=True
    )
    assert response.status_code == 200


def test_the_same_file_twice_is_refused_until_the_officer_confirms_it(client, desk):
    point, officer = desk
    first = client.post(
        reverse("manifests:list"),
        {"point": point.pk, "file": SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")},
    )
    assert first.status_code == 302 and Manifest.objects.count() == 1
    again = client.post(
        reverse("manifests:list"),
        {"point": point.pk, "file": SimpleUploadedFile("otra.csv", CONTENT, content_type="text/csv")},
    )
    html = again.content.decode()
    assert again.status_code == 200 and "Este mismo archivo ya se importó para este punto" in html
    assert 'type="checkbox" name="confirm_duplicate"' in html and Manifest.objects.count() == 1
    confirmed = client.post(
        reverse("manifests:list"),
        {
            "point": point.pk,
            "confirm_duplicate": "on",
            "file": SimpleUploadedFile("otra.csv", CONTENT, content_type="text/csv"),
        },
    )
    assert confirmed.status_code == 302 and Manifest.objects.count() == 2
    # The service refuses it too (command line, API), and another point's list is not "the same".
    with pytest.raises(ValidationError) as refused:
        manifest_import(user=officer, point=point, content=CONTENT, filename="x.csv")
    assert refused.value.error_dict["file"][0].code == "duplicate_manifest"
    other = make_point(code="OTR")
    assert manifest_import(user=None, point=other, content=CONTENT, filename="x.csv").row_count == 1


def test_a_large_list_is_imported_by_a_background_job_with_its_outcome(client, desk):
    from retorno.jobs.models import Job

    point, officer = desk
    client.post(
        reverse("manifests:list"),
        {"point": point.pk, "file": SimpleUploadedFile("lista.csv", CONTENT, content_type="text/csv")},
    )
    job = Job.objects.get(kind="manifest_import")
    m = Manifest.objects.get()
    assert job.status == Job.Status.DONE and job.requested_by == officer
    assert job.result_url == reverse("manifests:detail", args=[m.pk]) and job.summary == "Lista importada: 1 persona; 1 línea con errores."
    assert job.input_data is None  # the upload is not kept once imported
