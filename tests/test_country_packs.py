"""Each Central American pack works end to end: the pack checks clean, setup loads it with its
demo, the API registers with the country's national id (a wrong one is a 400 naming
`national_id`), the constancia names the country's agency and document, the bulletin is by
department, and the policy report covers the Global Compact without Mexico's PEM."""

import io
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from retorno.accounts.models import Role, User
from retorno.constancias.models import Constancia
from retorno.constancias.services import constancia_issue, constancia_print
from retorno.identity.models import Person
from retorno.identity.national_ids import scheme_for
from retorno.policy.models import GcmObjective, PemLine
from retorno.policy.periods import current_period
from retorno.policy.report import build_report, render_pdf
from retorno.reception.models import RepatriationEvent
from retorno.reference.demo_pack import demo_desk, demo_pack
from retorno.reference.models import ReceptionPoint, State
from retorno.reference.pack_check import check_pack
from retorno.statistics.bulletin import bulletin_build
from retorno.statistics.selectors import Audience
from retorno.testing.country import as_country
from retorno.testing.factories import api_client, make_user

PACKS = {
    # country: (scheme, a valid number, the same with a wrong check digit or a missing part,
    #           the constancia's label, the migration agency's name, a department)
    "gt": ("gt.cui", "2976 07049 1301", "2976 07048 1301", "CUI (DPI)", "Instituto Guatemalteco de Migración", "Huehuetenango"),
    "sv": ("sv.dui", "00016297-5", "00016297-4", "DUI", "Dirección General de Migración y Extranjería", "San Miguel"),
    "hn": ("hn.dni", "0801-1990-01234", "0829-1990-01234", "DNI", "Instituto Nacional de Migración", "Cortés"),
}  # fmt: skip
REFERENCE = Path(settings.DATA_DIR) / "reference"


@pytest.mark.parametrize("cc", ["mx", *PACKS])
def test_pack_has_no_problem(cc):
    assert [str(p) for p in check_pack(REFERENCE / cc)] == []


def test_check_lists_every_problem_of_a_broken_pack(tmp_path):
    shutil.copytree(REFERENCE / "common", tmp_path / "common")
    pack = tmp_path / "gt"
    shutil.copytree(REFERENCE / "gt", pack)
    states = (pack / "states.csv").read_text(encoding="utf-8")
    (pack / "states.csv").write_text(states.replace("22,22,Jutiapa,,0\n", "23,23,Jutiapa,,0\n01,01,Otra,,0\n"))
    points = (pack / "reception_points.csv").read_text(encoding="utf-8")
    (pack / "reception_points.csv").write_text(points.replace(",12,land,1", ",99,boat,1"))
    services = (pack / "services.yaml").read_text(encoding="utf-8")
    (pack / "services.yaml").write_text(services.replace("institution: MSPAS", "institution: MINSALUD", 1))
    problems = [str(p) for p in check_pack(pack)]
    for expected in (
        "states.csv: code '01' appears 2 times",
        "states.csv: division '23' is not a department code of the CUI",
        "states.csv: department '22' of the CUI is missing",
        "reception_points.csv: point TUM: unknown state_code '99'",
        "reception_points.csv: point TUM: mode must be one of ['air', 'land']",
        "services.yaml: service mspas-atencion-medica: unknown institution 'MINSALUD'",
    ):
        assert expected in problems, problems


def test_check_country_command_fails_with_the_problems(tmp_path, settings, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.DATA_DIR = tmp_path
    shutil.copytree(REFERENCE / "common", tmp_path / "reference" / "common")
    shutil.copytree(REFERENCE / "sv", tmp_path / "reference" / "sv")
    (tmp_path / "reference" / "sv" / "demo.yaml").write_text("desk: {point: NOPE}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("check_country", "sv", stdout=io.StringIO())
    assert "desk.point: unknown point 'NOPE'" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.parametrize("cc", PACKS)
def test_setup_loads_the_pack_and_its_demo(cc):
    scheme, *_rest, department = PACKS[cc]
    with as_country(cc, demo=True):
        assert State.objects.filter(name=department).exists()
        assert not State.objects.filter(code="MN").exists()
        demo_officer = User.objects.get(username=demo_desk("officer"))
        assert demo_officer.reception_point.code == demo_desk("point")
        ids = [p.curp for p in Person.objects.exclude(curp="")]
        assert len(ids) >= 5 and all(scheme_for(scheme).is_valid(n) for n in ids)
        assert Constancia.objects.exists()
        # The diagnosis and referral demo's people carry the pack's names, not Mexico's.
        referred = demo_pack()["case_names"]["referred"]
        assert Person.objects.filter(given_names=referred["given_names"]).exists()
        assert not Person.objects.filter(first_surname="Ramírez", second_surname="Soto").exists()
        assert RepatriationEvent.objects.filter(notes="demo-synthetic").count() > 1000
        assert PemLine.objects.count() == 0 and GcmObjective.objects.count() == 23
        month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        table = bulletin_build(month=month, audience=Audience(points=None, suppressed=False)).table("state_sex")
        assert "departamento" in str(table.title) and str(table.row_header) == "Departamento de origen"
        assert department in [str(label) for label in table.row_labels]


@pytest.mark.django_db
@pytest.mark.parametrize("cc", PACKS)
def test_api_takes_the_national_id_and_refuses_a_wrong_one(cc):
    scheme, valid, wrong, *_rest = PACKS[cc]
    with as_country(cc):
        point = ReceptionPoint.objects.order_by("code").first()
        officer = make_user(Role.RECEPTION_OFFICER, point=point)
        client = api_client(officer)
        body = {
            "given_names": "Ana Lucía",
            "first_surname": "López",
            "second_surname": "Xol",
            "sex": "M",
            "birth_date": "1990-05-17",
            "birth_state": point.state.code,
            "documents": ["deportation_order"],
        }
        bad = client.post("/api/reception/events", {**body, "national_id": wrong}, content_type="application/json")
        assert bad.status_code == 400, bad.content
        assert list(bad.json()["errors"]) == ["national_id"]
        as_curp = client.post("/api/reception/events", {**body, "curp": valid}, content_type="application/json")
        assert as_curp.status_code == 400 and "curp" in as_curp.json()["errors"]
        assert not Person.objects.exists()
        created = client.post("/api/reception/events", {**body, "national_id": valid}, content_type="application/json")
        assert created.status_code == 201, created.content
        person = client.get(f"/api/identity/persons/{created.json()['person_id']}").json()
        assert person["national_id"] == scheme_for(scheme).validate(valid)
        assert person["curp"] is None
        # The pages word it the country's way.
        from django.test import Client

        page = Client()
        page.force_login(officer)
        html = page.get(f"/reception/events/{created.json()['id']}/").content.decode()
        assert "Departamento de origen" in html and "Entidad" not in html
        html = page.get(f"/persons/{created.json()['person_id']}/").content.decode()
        assert scheme_for(scheme).name in html and "CURP" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("cc", PACKS)
def test_constancia_names_the_country_agency_and_document(cc):
    scheme, valid, _wrong, label, agency, _department = PACKS[cc]
    with as_country(cc):
        point = ReceptionPoint.objects.order_by("code").first()
        officer = make_user(Role.RECEPTION_OFFICER, point=point)
        client = api_client(officer)
        created = client.post(
            "/api/reception/events",
            {"given_names": "José", "first_surname": "Pérez", "sex": "H", "birth_date": "1985-01-02",
             "national_id": valid, "documents": []},
            content_type="application/json",
        )  # fmt: skip
        assert created.status_code == 201, created.content
        event = RepatriationEvent.objects.get(pk=created.json()["id"])
        text = PdfReader(io.BytesIO(constancia_print(user=officer, constancia=constancia_issue(user=officer, event=event)))).pages[0].extract_text()
        for expected in (label, agency, scheme_for(scheme).validate(valid), point.state.name, "departamento"):
            assert expected in text, (expected, text)
        assert "CURP" not in text and "xican" not in text and "México" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("cc", PACKS)
def test_policy_report_covers_the_compact_without_the_pem(cc):
    with as_country(cc):
        text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(build_report(current_period())))).pages
        )
        assert "no tiene un plan nacional" in text
        assert "Objetivo 23." in text.replace("\n", " ")
        assert "PEM" not in text


@pytest.mark.django_db
def test_people_are_found_by_the_start_of_their_national_id():
    from retorno.identity.selectors import person_search
    from retorno.testing.factories import make_person

    with as_country("sv"):
        person = make_person(curp="000162975")
        supervisor = make_user(Role.SUPERVISOR, point=None)  # national: sees every point
        assert list(person_search(supervisor, text="0001-62")) == [person]
        assert list(person_search(supervisor, text="9999")) == []


@pytest.mark.django_db
def test_a_guatemalan_manifest_with_m_alone_lists_men():
    """In Central America M is masculino; in Mexico M is mujer (the CURP's letter)."""
    from retorno.manifests.validation import file_sex_convention

    rows = [{"sex": "M"}, {"sex": "m"}]
    assert file_sex_convention(rows) == "es"  # Mexico, the default pack
    with as_country("gt"):
        assert file_sex_convention(rows) == "en"
        assert file_sex_convention([{"sex": "H"}, {"sex": "M"}]) == "es"
