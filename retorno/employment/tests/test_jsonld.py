"""schema.org JobPosting JSON-LD: import with errors per posting and field, all or nothing,
idempotent on the identifier; export in the same shape; the CLI."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from retorno.audit.models import AuditEntry
from retorno.directory.models import Institution
from retorno.employment import jsonld
from retorno.employment.models import Vacancy
from retorno.employment.tests.factories import make_job_bank, make_occupation
from retorno.testing.factories import make_state, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    make_state("BC", "Baja California")
    make_state("MN", "Michoacán")
    make_occupation("5111", "hospitality", "5120", "Cocineros")
    make_occupation("7121", "construction", "7112", "Albañiles")
    return make_job_bank()[1]


def posting(n=1, **kw):
    today = timezone.localdate()
    p = {
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": "Bolsa", "value": f"job-{n}"},
        "title": "Cocinero(a)",
        "description": "<p>Cocina <b>mexicana</b></p>",
        "datePosted": today.isoformat(),
        "validThrough": (today + timedelta(days=30)).isoformat() + "T23:59:00-08:00",
        "employmentType": ["PART_TIME"],
        "totalJobOpenings": 3,
        "occupationalCategory": {"@type": "CategoryCode", "codeValue": "5111", "inCodeSet": "SINCO 2019"},
        "hiringOrganization": {"@type": "Organization", "name": "Hoteles del Norte"},
        "jobLocation": {
            "@type": "Place",
            "address": {"addressLocality": "Tijuana", "addressRegion": "Baja California"},
        },
        "skills": "cocina; panadería",
        "educationRequirements": {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "high school",
        },
        "experienceRequirements": {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 26},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "MXN",
            "value": {"minValue": 9000, "maxValue": 11000, "unitText": "MONTH"},
        },
        "retorno:englishLevel": "basic",
        "retorno:inclusiveHiring": ["hires_returnees"],
    }
    p.update(kw)
    return p


def content(*postings) -> bytes:
    return json.dumps({"@context": "https://schema.org", "@graph": list(postings)}).encode()


def test_a_posting_is_imported_with_every_field_and_its_employer_joins_the_directory(world):
    report = jsonld.import_postings(user=world, content=content(posting()))
    assert (report.created, report.updated, report.errors) == (1, 0, [])
    v = Vacancy.objects.get(identifier="job-1")
    assert (v.title, v.description, v.schedule, v.positions) == (
        "Cocinero(a)",
        "Cocina mexicana",
        "PART_TIME",
        3,
    )
    assert (v.state.code, v.municipality, v.occupation.code, v.education, v.experience_years) == (
        "BC",
        "Tijuana",
        "5111",
        "high_school",
        2,
    )
    assert (v.skills, v.english_level, v.flags, v.salary_min, v.salary_unit) == (
        ["cocina", "panadería"],
        "basic",
        ["hires_returnees"],
        9000,
        "MONTH",
    )
    assert v.valid_through == timezone.localdate() + timedelta(days=30)
    assert v.employer.order == Institution.Order.PRIVATE and v.employer.name == "Hoteles del Norte"
    assert AuditEntry.objects.filter(object_type="employment.vacancy", action="create").count() == 1


def test_a_second_import_updates_the_same_vacancy(world):
    jsonld.import_postings(user=world, content=content(posting()))
    report = jsonld.import_postings(user=world, content=content(posting(title="Cocinero(a) de línea")))
    assert (report.created, report.updated) == (0, 1)
    assert list(Vacancy.objects.values_list("title", flat=True)) == ["Cocinero(a) de línea"]
    assert Institution.objects.filter(name="Hoteles del Norte").count() == 1


def test_an_isco_coded_posting_is_mapped_to_the_national_occupation(world):
    jsonld.import_postings(
        user=world,
        content=content(posting(occupationalCategory={"codeValue": "7112", "inCodeSet": "ISCO-08"})),
    )
    assert Vacancy.objects.get().occupation.code == "7121"


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"{not json", "no es JSON válido: línea 1"),
        (b'{"@graph": [\xff]}', "no está en UTF-8"),
        (b'"just text"', "no contiene ofertas"),
    ],
)
def test_a_broken_file_is_refused_with_a_message_and_nothing_changes(world, raw, message):
    with pytest.raises(ValidationError) as exc:
        jsonld.import_postings(user=world, content=raw)
    assert message in " ".join(exc.value.messages)
    assert not Vacancy.objects.exists()


def test_errors_are_given_per_posting_and_field_and_nothing_is_saved(world):
    bad = posting(
        2,
        occupationalCategory="9999",
        jobLocation={"address": {"addressRegion": "Atlantis"}},
        validThrough="mañana",
    )
    with pytest.raises(ValidationError) as exc:
        jsonld.import_postings(user=world, content=content(posting(1), bad, posting(1)))
    text = "\n".join(exc.value.messages)
    assert "#2 (job-2) occupation: Ocupación desconocida: 9999." in text
    assert "#2 (job-2) state: Entidad desconocida: Atlantis." in text
    assert "#2 (job-2) municipality: Campo obligatorio." in text
    assert "#2 (job-2) valid_through: Fecha no válida" in text
    assert "#3 (job-1) identifier: Identificador repetido" in text
    assert not Vacancy.objects.exists() and not Institution.objects.filter(name="Hoteles del Norte").exists()


def test_skip_invalid_imports_the_valid_postings_and_reports_the_others(world):
    report = jsonld.import_postings(
        user=world, content=content(posting(1), posting(2, title="")), skip_invalid=True
    )
    assert (report.created, [e[:3] for e in report.errors]) == (1, [(2, "job-2", "title")])
    assert list(Vacancy.objects.values_list("identifier", flat=True)) == ["job-1"]


def test_only_the_job_bank_imports(world):
    from retorno.core.exceptions import AccessDenied

    with pytest.raises(AccessDenied):
        jsonld.import_postings(user=make_user(), content=content(posting()))


def test_the_export_reads_back_as_the_same_vacancies(world):
    jsonld.import_postings(
        user=world, content=content(posting(1), posting(2, title="Albañil", occupationalCategory="7121"))
    )
    fields = ["identifier", "title", "occupation__code", "skills", "english_level", "education", "experience_years",
              "state__code", "municipality", "salary_min", "salary_max", "schedule", "positions", "valid_through", "flags"]  # fmt: skip
    before = list(Vacancy.objects.order_by("identifier").values(*fields))
    exported = jsonld.export_postings(Vacancy.objects.all())
    document = json.loads(exported)
    assert document["@context"][0] == "https://schema.org" and document["@graph"][0]["@type"] == "JobPosting"
    Vacancy.objects.all().delete()
    jsonld.import_postings(user=world, content=exported)
    assert list(Vacancy.objects.order_by("identifier").values(*fields)) == before


def test_the_command_imports_exports_and_refuses_a_broken_file(world, tmp_path, capsys):
    path = tmp_path / "ofertas.jsonld"
    path.write_text(json.dumps([posting(1), posting(2)]), encoding="utf-8")
    call_command("employment", "import", str(path), "--user", world.username)
    assert Vacancy.objects.count() == 2
    out = tmp_path / "salida.jsonld"
    call_command("employment", "export", str(out))
    assert len(json.loads(out.read_text())["@graph"]) == 2
    path.write_text("[", encoding="utf-8")
    with pytest.raises(CommandError, match="no es JSON válido"):
        call_command("employment", "import", str(path), "--user", world.username)
