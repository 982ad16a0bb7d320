"""The employment pages: scope, form errors in the user's language, the payments file."""

from decimal import Decimal

import pytest
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.employment import services
from retorno.employment.models import Vacancy
from retorno.employment.tests.factories import make_employer, make_job_bank, make_occupation, make_seeker
from retorno.testing.factories import make_institution, make_point, make_state, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    bank, caseworker = make_job_bank()
    tij = make_point("TIJ", state=make_state("BC", "Baja California"))
    person, _ = make_seeker(bank, point=tij)
    return {"bank": bank, "caseworker": caseworker, "tij": tij, "person": person}


def test_the_person_page_is_scoped_and_audited(client, world):
    url = f"/employment/person/{world['person'].pk}/"
    client.force_login(make_user(Role.RECEPTION_OFFICER, point=make_point("MXL")))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.CASEWORKER, institution=make_institution("RENAPO")))
    assert client.get(url).status_code == 404
    assert client.get("/employment/applications/").status_code == 403
    client.force_login(world["caseworker"])
    page = client.get(url)
    assert page.status_code == 200 and "Perfil laboral" in page.content.decode()
    assert AuditEntry.objects.filter(
        action="view", person_id=world["person"].pk, detail__what="employment"
    ).exists()


def test_a_bad_vacancy_form_shows_its_errors_in_english_and_saves_nothing(client, world):
    client.force_login(world["caseworker"])
    make_occupation()
    form = {
        "title": "Cook",
        "employer": make_employer().code,
        "occupation": "5111",
        "english_level": "none",
        "education": "none",
        "experience_years": "0",
        "state": "BC",
        "municipality": "Tijuana",
        "salary_min": "900",
        "salary_max": "100",
        "salary_unit": "MONTH",
        "schedule": "FULL_TIME",
        "positions": "1",
        "valid_through": timezone.localdate().isoformat(),
    }
    page = client.post("/employment/vacancies/new/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "The maximum salary must be greater than or equal to the minimum." in page.content.decode()
    assert not Vacancy.objects.exists()
    form["salary_max"] = "1000"
    assert client.post("/employment/vacancies/new/", form).status_code == 302
    assert Vacancy.objects.get().salary_max == Decimal("1000")


def test_the_payments_file_is_spreadsheet_safe_and_its_export_audited(client, world):
    caseworker = world["caseworker"]
    application = services.support_apply(user=caseworker, person=world["person"])
    services.support_decide(user=caseworker, application=application, approve=True)
    services.budget_set(
        user=caseworker, point=world["tij"], month=timezone.localdate(), amount=Decimal("5000")
    )
    services.support_pay(
        user=caseworker,
        application=application,
        concept="job_search",
        amount=1500,
        reference='=HYPERLINK("http://x")',
    )
    client.force_login(caseworker)
    csv_text = client.get("/employment/support/payments.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text
    assert "1500.0" in csv_text and world["person"].full_name in csv_text
    xlsx = client.get("/employment/support/payments.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert AuditEntry.objects.filter(action="export", object_type="employment.supportpayment").count() == 2
    client.force_login(make_user(Role.RECEPTION_OFFICER, point=world["tij"]))
    assert client.get("/employment/support/payments.csv").status_code == 403
