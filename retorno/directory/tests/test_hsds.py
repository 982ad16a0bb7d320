"""HSDS 3.0 CSV datapackage: round trip, the specification's example, validation errors, UI, command."""

import io
import shutil
import zipfile
from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.directory import hsds
from retorno.directory.models import Institution, Location, Program, Schedule, Service, ServiceAtLocation
from retorno.testing.factories import make_user

pytestmark = pytest.mark.django_db
EXAMPLE = Path(settings.BASE_DIR) / "data" / "hsds" / "example"


@pytest.fixture
def catalog():
    from retorno.directory.reference_data import load as load_directory
    from retorno.reference.reference_data import load as load_reference

    country = settings.DATA_DIR / "reference" / "mx"
    load_reference(country, lambda s: None)
    load_directory(country, lambda s: None)
    # Exercise every field the catalog leaves empty.
    sne = Institution.objects.get(code="STPS-SNE")
    sne.phone, sne.email, sne.description, sne.website = (
        "800 841 2020",
        "sne@stps.gob.mx",
        "Vinculación laboral",
        "https://www.gob.mx/stps",
    )
    sne.save()
    Institution.objects.filter(code="OIM").update(active=False, order="international")
    loc = Location.objects.first()
    loc.latitude, loc.longitude, loc.phone, loc.postal_code = (
        Decimal("32.541234"),
        Decimal("-117.029876"),
        "664 111 2222",
        "22000",
    )
    loc.save()
    svc = Service.objects.get(code="sne-repatriados-trabajando")
    svc.sexes, svc.states, svc.flags_any, svc.phone = ["M", "H"], ["MN", "JC"], ["woman"], "55 1234 5678"
    svc.email, svc.url, svc.eligibility_description, svc.max_age = (
        "rt@stps.gob.mx",
        "https://empleo.gob.mx",
        "Mayores de 16",
        64,
    )
    svc.fees_description, svc.application_process = "Gratuito", "Acudir a la oficina del SNE"
    svc.save()
    Schedule.objects.create(
        location=loc, byday="SA", opens_at=time(9), closes_at=time(13), description="Sábados"
    )
    ServiceAtLocation.objects.filter(service=svc).update(description="En la oficina estatal")


def snapshot() -> dict:
    """Everything in the directory, keyed by HSDS id, foreign keys as HSDS ids."""

    def rows(model, fks=()):
        out = {}
        for obj in model.objects.all():
            data = model_to_dict(obj, exclude=["id", "locations"])
            for fk in fks:
                related = getattr(obj, fk)
                data[fk] = str(related.hsds_id) if related else None
            data.pop("updated_at", None)
            out[str(obj.hsds_id)] = data
        return out

    return {
        "institutions": rows(Institution),
        "programs": rows(Program, ["institution"]),
        "locations": rows(Location, ["institution"]),
        "services": rows(Service, ["institution", "program"]),
        "service_at_location": rows(ServiceAtLocation, ["service", "location"]),
        "schedules": rows(Schedule, ["service", "location"]),
    }


def wipe():
    for model in (Schedule, ServiceAtLocation, Service, Location, Program, Institution):
        model.objects.all().delete()


def test_export_reimported_gives_the_same_directory(catalog, tmp_path):
    before = snapshot()
    assert len(before["services"]) >= 20 and before["schedules"]
    hsds.export_to_folder(tmp_path)
    wipe()
    assert not Service.objects.exists()
    report = hsds.import_path(tmp_path)
    assert report.created["services"] == len(before["services"])
    after = snapshot()
    for table in before:
        assert after[table] == before[table], table


def test_reimport_over_itself_changes_nothing_and_creates_nothing(catalog, tmp_path):
    before = snapshot()
    hsds.export_to_folder(tmp_path)
    report = hsds.import_path(tmp_path)
    assert sum(report.created.values()) == 0
    assert snapshot() == before


def test_export_has_the_layout_of_the_spec_example(catalog, tmp_path):
    hsds.export_to_folder(tmp_path)
    example_headers = {p.name: p.read_text().splitlines()[0] for p in EXAMPLE.glob("*.csv")}
    for name in hsds.EXPORTED_FILES:
        assert (tmp_path / name).read_text().splitlines()[0] == example_headers[name], name
    assert (tmp_path / "datapackage.json").exists()


def test_the_specification_example_imports_without_errors():
    report = hsds.import_path(EXAMPLE)
    svc = Service.objects.get(hsds_id="ac148810-d857-441c-9679-408f346de14b")
    assert svc.name == "Community Counselling"
    assert (svc.min_age, svc.max_age) == (12, 100)
    assert svc.institution.name == "Example Organization Inc."
    assert svc.program.name == "Community Mental Health Support"
    assert svc.locations.get().name == "MyCity Civic Center"
    assert svc.schedules.get().opens_at == time(10)
    assert "Any official identification document" in svc.eligibility_description
    # Its dangling references (e.g. a location's unknown organization) are reported, not fatal.
    assert any("organización desconocida" in w for w in report.warnings)
    again = hsds.import_path(EXAMPLE)
    assert sum(again.created.values()) == 0


def _package(tmp_path, edit) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, target)
    path = target / "services.csv"
    path.write_text(edit(path.read_text()))
    return target


@pytest.mark.parametrize(
    "edit,expected",
    [
        (
            lambda t: t.replace("ac148810-d857-441c-9679-408f346de14b", "not-a-uuid", 1),
            "services.csv, fila 2, id",
        ),
        (lambda t: t.replace(",active,", ",sometimes,", 1), "services.csv, fila 2, status"),
        (lambda t: t.replace(",12,100,", ",doce,100,", 1), "services.csv, fila 2, minimum_age"),
        (
            lambda t: t.replace("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "", 1),
            "services.csv, fila 2, organization_id",
        ),
    ],
)
def test_invalid_package_is_refused_with_per_row_errors_and_imports_nothing(tmp_path, edit, expected):
    with pytest.raises(ValidationError) as exc:
        hsds.import_path(_package(tmp_path, edit))
    assert any(m.startswith(expected) for m in exc.value.messages), exc.value.messages
    assert not Service.objects.exists() and not Institution.objects.exists()


def test_service_of_an_unknown_organization_is_refused(tmp_path):
    pkg = _package(
        tmp_path,
        lambda t: t.replace(
            "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "11111111-1111-4111-8111-111111111111", 1
        ),
    )
    with pytest.raises(ValidationError):
        hsds.import_path(pkg)
    assert not Institution.objects.exists()


def test_not_a_zip_and_missing_tables_are_clear_errors():
    with pytest.raises(ValidationError) as exc:
        hsds.import_zip(fileobj=io.BytesIO(b"hello"))
    assert "no es un .zip válido" in exc.value.messages[0]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "x")
    with pytest.raises(ValidationError) as exc:
        hsds.import_zip(fileobj=io.BytesIO(buf.getvalue()))
    assert "organizations.csv" in exc.value.messages[0]


def test_zip_with_files_in_a_subfolder_imports():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in EXAMPLE.iterdir():
            zf.write(p, f"examples/csv/{p.name}")
    buf.seek(0)
    hsds.import_zip(fileobj=buf)
    assert Service.objects.filter(name="Community Counselling").exists()


def test_command_export_and_import(catalog, tmp_path):
    call_command("directory", "export", str(tmp_path / "out.zip"))
    call_command("directory", "export", str(tmp_path / "folder"))
    assert (tmp_path / "folder" / "services.csv").exists()
    out = io.StringIO()
    call_command("directory", "import", str(tmp_path / "out.zip"), stdout=out)
    assert "Directory imported" in out.getvalue()


def test_ui_export_download_and_admin_only_import(client, catalog):
    officer = make_user(Role.RECEPTION_OFFICER)
    client.force_login(officer)
    r = client.get(reverse("directory:hsds_export"))
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    payload = r.content
    assert "services.csv" in zipfile.ZipFile(io.BytesIO(payload)).namelist()
    assert client.get(reverse("directory:hsds_import")).status_code == 403
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    upload = io.BytesIO(payload)
    upload.name = "directorio.zip"
    r = client.post(reverse("directory:hsds_import"), {"file": upload}, follow=True)
    assert r.status_code == 200 and "Directorio importado" in r.content.decode()
    bad = io.BytesIO(b"not a zip")
    bad.name = "x.zip"
    r = client.post(reverse("directory:hsds_import"), {"file": bad})
    assert "no es un .zip válido" in r.content.decode()
