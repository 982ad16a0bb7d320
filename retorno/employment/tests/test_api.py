"""The employment API: same rules and scope as the pages, errors as JSON in the user's language."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.employment.models import Vacancy
from retorno.employment.tests.factories import (
    make_employer,
    make_job_bank,
    make_occupation,
    make_seeker,
    make_vacancy,
)
from retorno.testing.factories import api_client, make_point, make_state, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    bank, caseworker = make_job_bank()
    tij = make_point("TIJ", state=make_state("BC", "Baja California"))
    person, event = make_seeker(bank, point=tij)
    return {"bank": bank, "caseworker": caseworker, "tij": tij, "person": person, "event": event}


def body(**kw):
    values = {
        "title": "Cocinero(a)",
        "occupation": make_occupation().code,
        "state": "BC",
        "municipality": "Tijuana",
        "employer": make_employer().code,
        "valid_through": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "english_level": "basic",
        "skills": ["cocina"],
    }
    values.update(kw)
    return json.dumps(values)


def test_the_job_bank_publishes_and_everyone_reads_vacancies(world):
    client = api_client(world["caseworker"])
    created = client.post("/api/employment/vacancies", body(), content_type="application/json")
    assert created.status_code == 201, created.content
    vacancy_id = created.json()["id"]
    analyst = api_client(make_user(Role.ANALYST))
    listed = analyst.get("/api/employment/vacancies?state=BC")
    assert listed.status_code == 200 and [v["id"] for v in listed.json()["items"]] == [vacancy_id]
    assert (
        analyst.post("/api/employment/vacancies", body(), content_type="application/json").status_code == 403
    )
    officer = api_client(make_user(Role.RECEPTION_OFFICER, point=world["tij"]))
    assert (
        officer.post("/api/employment/vacancies", body(), content_type="application/json").status_code == 403
    )


def test_bad_input_is_refused_in_the_users_language_and_changes_nothing(world):
    client = api_client(world["caseworker"])
    response = client.post(
        "/api/employment/vacancies",
        body(occupation="0000", salary_min=500, salary_max=100, valid_through="2020-01-01"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"occupation", "salary_max", "valid_through"}
    assert "Unknown occupation" in errors["occupation"][0]
    assert not Vacancy.objects.exists()


def test_import_and_export_json_ld_through_the_api(world):
    client = api_client(world["caseworker"])
    make_vacancy(identifier="a-1")
    exported = client.get("/api/employment/vacancies/export")
    assert exported.status_code == 200 and exported.json()["@graph"][0]["identifier"]["value"] == "a-1"
    Vacancy.objects.all().delete()
    imported = client.post(
        "/api/employment/vacancies/import", json.dumps(exported.json()), content_type="application/ld+json"
    )
    assert imported.status_code == 200 and imported.json() == {"created": 1, "updated": 0, "errors": []}
    broken = client.post("/api/employment/vacancies/import", "[", content_type="application/ld+json")
    assert broken.status_code == 400 and "no es JSON válido" in json.dumps(broken.json(), ensure_ascii=False)


def test_matches_applications_and_the_loop(world):
    client = api_client(world["caseworker"])
    fit = make_vacancy(title="Cocinero(a)")
    make_vacancy(title="Bilingüe", english_level="fluent")
    matches = client.get(f"/api/employment/persons/{world['person'].pk}/matches")
    assert matches.status_code == 200
    assert [m["vacancy_id"] for m in matches.json()["fits"]] == [fit.pk]
    assert matches.json()["not_fitting"][0]["blockers"] == ["Pide inglés Fluido; la persona: Básico"]
    created = client.post(
        "/api/employment/applications",
        json.dumps({"person_id": world["person"].pk, "vacancy_id": fit.pk}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    application_id = created.json()["id"]
    again = client.post(
        "/api/employment/applications",
        json.dumps({"person_id": world["person"].pk, "vacancy_id": fit.pk}),
        content_type="application/json",
    )
    assert again.status_code == 409
    step = client.post(
        f"/api/employment/applications/{application_id}/transitions",
        json.dumps({"to_status": "hired", "answer": "Empieza el lunes"}),
        content_type="application/json",
    )
    assert step.status_code == 200 and step.json()["status"] == "hired"
    assert AuditEntry.objects.filter(object_type="employment.application", action="update").exists()


def test_the_support_loop_through_the_api(world):
    client = api_client(world["caseworker"])
    created = client.post(
        "/api/employment/support/applications",
        json.dumps({"person_id": world["person"].pk}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    support_id = created.json()["id"]
    budget = client.post(
        "/api/employment/support/budgets",
        json.dumps({"point": "TIJ", "month": timezone.localdate().isoformat(), "amount": "3000"}),
        content_type="application/json",
    )
    assert budget.status_code == 201 and budget.json()["remaining"] == "3000.00"
    decided = client.post(
        f"/api/employment/support/applications/{support_id}/decision",
        json.dumps({"approve": True}),
        content_type="application/json",
    )
    assert decided.json()["status"] == "approved"
    paid = client.post(
        f"/api/employment/support/applications/{support_id}/payments",
        json.dumps({"concept": "job_search", "amount": "1500"}),
        content_type="application/json",
    )
    assert paid.status_code == 201, paid.content
    twice = client.post(
        f"/api/employment/support/applications/{support_id}/payments",
        json.dumps({"concept": "job_search", "amount": "1"}),
        content_type="application/json",
    )
    assert twice.status_code == 409
    balance = client.get("/api/employment/support/budgets").json()
    assert [(b["paid"], b["remaining"]) for b in balance] == [("1500.00", "1500.00")]
    assert client.get("/api/employment/support/payments").json()["count"] == 1


def test_a_person_without_consent_is_not_found_by_the_job_bank(world):
    person, _ = make_seeker(
        world["bank"], point=world["tij"], consent=False, given_names="Sin consentimiento"
    )
    client = api_client(world["caseworker"])
    assert client.get(f"/api/employment/persons/{person.pk}/matches").status_code == 404
    officer = api_client(make_user(Role.RECEPTION_OFFICER, point=world["tij"]))
    assert officer.get(f"/api/employment/persons/{person.pk}/profile").status_code == 200
