"""Directory pages and API: browsing with filters, eligibility endpoint and its scope."""

import pytest
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.directory.tests.factories import make_service
from retorno.referrals.tests.factories import make_person_at
from retorno.testing.factories import (
    make_event,
    make_institution,
    make_point,
    make_state,
    make_token,
    make_user,
)

pytestmark = pytest.mark.django_db


def get(client, user, path):
    return client.get("/api/directory" + path, HTTP_AUTHORIZATION=f"Bearer {make_token(user)}")


@pytest.fixture
def services():
    sne = make_institution("SNE")
    return dict(
        empleo=make_service(sne, code="empleo", name="Bolsa de empleo", needs=["employment"], states=["MN"]),
        nacional=make_service(
            sne, code="nacional", name="Capacitación", needs=["job_training", "employment"]
        ),
        docs=make_service(make_institution("RENAPO"), code="curp", name="CURP", needs=["identity_documents"]),
        off=make_service(sne, code="cerrado", name="Cerrado", needs=["employment"], status="inactive"),
    )


def test_api_filters_by_need_state_institution_and_text(client, services):
    user = make_user(Role.CASEWORKER)
    codes = lambda path: sorted(s["code"] for s in get(client, user, path).json()["items"])  # noqa: E731
    assert codes("/services?need=employment") == ["empleo", "nacional"]
    assert codes("/services?need=employment&state=JC") == ["nacional"]
    assert codes("/services?institution=RENAPO") == ["curp"]
    assert codes("/services?q=bolsa") == ["empleo"]
    assert get(client, user, "/services/empleo").json()["states"] == ["MN"]
    assert get(client, user, "/services/nope").status_code == 404


def test_directory_page_is_for_every_signed_in_user(client, services):
    assert client.get(reverse("directory:index")).status_code == 302
    client.force_login(make_user(Role.ANALYST))
    page = client.get(reverse("directory:index"), {"need": "employment"})
    assert [s.code for s in page.context["page"]] == ["empleo", "nacional"]
    assert client.get(reverse("directory:service", args=["empleo"])).status_code == 200
    assert client.get(reverse("directory:service", args=["nope"])).status_code == 404


def test_eligibility_endpoint_lists_ranked_services_with_reasons_and_audits(client, services):
    point = make_point("TIJ")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    make_state("MN", "Michoacán")
    person = make_person_at(point)  # no documents -> needs identity documents
    body = get(client, officer, f"/eligibility/{person.pk}").json()
    assert [m["service"] for m in body["eligible"]] == ["curp"]
    assert body["eligible"][0]["summary"] == "necesita recuperación de documentos de identidad"
    assert {m["service"] for m in body["excluded"]} == {"empleo", "nacional", "cerrado"}
    assert AuditEntry.objects.filter(user=officer, person_id=person.pk, action="view").exists()


def test_eligibility_of_a_person_out_of_scope_is_404(client, services):
    person = make_person_at(make_point("MXL"))
    officer = make_user(Role.RECEPTION_OFFICER, point=make_point("TIJ"))
    assert get(client, officer, f"/eligibility/{person.pk}").status_code == 404
    assert get(client, make_user(Role.ANALYST), f"/eligibility/{person.pk}").status_code == 403
    make_event(person=person, point=officer.reception_point)
    assert get(client, officer, f"/eligibility/{person.pk}").status_code == 200


def test_api_hsds_export_is_a_zip_datapackage(client, services):
    import io
    import zipfile

    r = get(client, make_user(Role.ANALYST), "/hsds.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "datapackage.json" in names and "services.csv" in names


def test_service_validation_refuses_unknown_codes_and_inverted_age_range():
    from django.core.exceptions import ValidationError

    service = make_service(make_institution("X"), code="x", needs=["employment"])
    service.needs = ["employmnet"]
    service.flags_any = ["woman", "alien"]
    service.sexes = "H"
    service.min_age, service.max_age = 30, 18
    with pytest.raises(ValidationError) as exc:
        service.full_clean()
    errors = exc.value.message_dict
    assert errors["max_age"] == ["La edad máxima debe ser mayor o igual a la mínima."]
    service.min_age = None
    with pytest.raises(ValidationError) as exc:
        service.full_clean()
    errors = exc.value.message_dict
    assert errors["needs"] == ["Claves desconocidas: employmnet"]
    assert errors["flags_any"] == ["Claves desconocidas: alien"]
    assert errors["sexes"] == ["Debe ser una lista de claves."]
