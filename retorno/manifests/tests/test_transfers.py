"""Assisted return between instances: Mexico's instance signs a package for a Guatemalan it
received; Guatemala's instance verifies it and imports it as an expected arrival, which its desk
confirms. Tampered, unknown, foreign, replayed packages are refused and import nothing."""

import base64
import json

import pytest
import yaml
from django.test import override_settings

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.identity.models import Person
from retorno.manifests import transfers
from retorno.manifests.models import Manifest, ManifestRow, Transfer
from retorno.reference.models import ReceptionPoint
from retorno.testing.country import as_country
from retorno.testing.factories import api_client, make_user

pytestmark = pytest.mark.django_db

PERSON = {
    "given_names": "Ana Lucía",
    "first_surname": "Tzoc",
    "second_surname": "Xol",
    "sex": "M",
    "birth_date": "1990-05-17",
    "national_id": "2976 07049 1301",
    "birth_place": "Huehuetenango",
    "expected_at": "2026-12-10T09:30:00-06:00",
    "notes": "Viaja en el vuelo de la tarde.",
}


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def keys(tmp_path):
    """Each instance's key file and Guatemala's trusted-senders list (empty until MX is added)."""
    return {
        "mx": tmp_path / "mx.jwk",
        "gt": tmp_path / "gt.jwk",
        "other": tmp_path / "other.jwk",
        "trusted": tmp_path / "trusted.yaml",
    }


def _as(instance: str, key, trusted):
    return override_settings(
        RETORNO_INSTANCE_ID=instance, RETORNO_SIGNING_KEY_FILE=str(key), RETORNO_TRUSTED_SENDERS_FILE=str(trusted)
    )


def export_from_mexico(keys, scope=("identity", "birthplace", "arrival"), to_country="GT") -> str:
    with as_country("mx"), _as("retorno-mx", keys["mx"], keys["trusted"]):
        point = ReceptionPoint.objects.get(code="TIJ")
        client = api_client(make_user(Role.RECEPTION_OFFICER, point=point))
        r = post(client, "/api/manifests/transfers/export", {
            "point": "TIJ", "to_country": to_country, "consent_scope": list(scope),
            "consent_method": "signed", "person": PERSON,
        })  # fmt: skip
        assert r.status_code == 201, r.content
        keys["trusted"].write_text(yaml.safe_dump([transfers.public_entry()]), encoding="utf-8")
        return r.json()["package"]


def import_in_guatemala(keys, package):
    point = ReceptionPoint.objects.get(code="FAG")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    return officer, post(api_client(officer), "/api/manifests/transfers/import", {"point": "FAG", "package": package})


def test_round_trip_from_mexico_to_guatemala(keys):
    package = export_from_mexico(keys)
    sent = Transfer.objects.get(direction=Transfer.Direction.OUT)
    assert (sent.country, sent.consent_scope, sent.consent_method) == ("GT", ["arrival", "birthplace", "identity"], "signed")
    assert "national_id" in sent.fields and AuditEntry.objects.filter(action="export").exists()
    with as_country("gt"), _as("retorno-gt", keys["gt"], keys["trusted"]):
        officer, r = import_in_guatemala(keys, package)
        assert r.status_code == 201, r.content
        manifest = Manifest.objects.get(pk=r.json()["id"])
        assert manifest.title == "Retorno asistido desde México · retorno-mx"  # where the person comes from
        assert not manifest.issues.exists(), list(manifest.issues.values("column", "code", "value"))
        row = manifest.rows.get()
        assert (row.given_names, row.first_surname, row.birth_state.name) == ("Ana Lucía", "Tzoc", "Huehuetenango")
        assert row.curp == "2976070491301" and row.nationality == "GT"
        assert "Retorno asistido desde México (Tijuana)" in row.notes and "identity" in row.notes
        received = Transfer.objects.get(direction=Transfer.Direction.IN)
        assert (received.instance, received.country, received.manifest_id) == ("retorno-mx", "MX", manifest.pk)
        # The desk confirms the expected arrival as any other: a person with the CUI.
        confirm = post(api_client(officer), f"/api/manifests/{manifest.pk}/rows/{row.pk}/confirm", {})
        assert confirm.status_code == 201, confirm.content
        assert Person.objects.get(curp="2976070491301").given_names == "Ana Lucía"
        # The same package again is refused: nothing is imported twice.
        _officer, again = import_in_guatemala(keys, package)
        assert again.status_code == 400 and "ya se importó" in again.json()["errors"]["package"][0]
        assert Manifest.objects.count() == 1


def test_only_consented_fields_travel(keys):
    package = export_from_mexico(keys, scope=("identity",))
    claims = json.loads(base64.urlsafe_b64decode(package.split(".")[1] + "=="))
    assert set(claims["person"]) == {"given_names", "first_surname", "second_surname", "sex", "birth_date", "national_id"}


def test_no_identity_consent_sends_nothing(keys):
    with as_country("mx"), _as("retorno-mx", keys["mx"], keys["trusted"]):
        client = api_client(make_user(Role.RECEPTION_OFFICER, point=ReceptionPoint.objects.get(code="TIJ")))
        r = post(client, "/api/manifests/transfers/export", {
            "point": "TIJ", "to_country": "GT", "consent_scope": ["arrival"], "consent_method": "verbal", "person": PERSON,
        })  # fmt: skip
        assert r.status_code == 400 and "consent_scope" in r.json()["errors"]
        assert not Transfer.objects.exists()


@pytest.mark.parametrize("attack", ["tampered", "unknown_signer", "other_country", "garbage"])
def test_bad_packages_are_refused_and_import_nothing(keys, attack):
    package = export_from_mexico(keys, to_country="SV" if attack == "other_country" else "GT")
    if attack == "tampered":
        head, body, sig = package.split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=="))
        claims["person"]["given_names"] = "Otra Persona"
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
        package = ".".join((head, body, sig))
    elif attack == "unknown_signer":
        with _as("retorno-xx", keys["other"], keys["trusted"]):
            keys["other"].unlink(missing_ok=True)
            transfers.signing_key()
        head, body, _sig = package.split(".")
        forged = transfers.jws.serialize_compact(
            {"alg": "Ed25519", "kid": "retorno-xx"}, base64.urlsafe_b64decode(body + "=="),
            transfers.OKPKey.import_key(json.loads(keys["other"].read_text())), algorithms=["Ed25519"],
        )  # fmt: skip
        package = forged
    elif attack == "garbage":
        package = "not.a-package.%00"
    with as_country("gt"), _as("retorno-gt", keys["gt"], keys["trusted"]):
        _officer, r = import_in_guatemala(keys, package)
        assert r.status_code == 400, r.content
        message = r.json()["errors"]["package"][0]
        expected = {
            "tampered": "firma del paquete no es válida",
            "unknown_signer": "remitentes de confianza",
            "other_country": "para otro país",
            "garbage": "No es un paquete",
        }[attack]
        assert expected in message, message
        assert not Manifest.objects.exists() and not ManifestRow.objects.exists()
        assert not Transfer.objects.filter(direction=Transfer.Direction.IN).exists()


def test_the_page_signs_a_package_and_imports_it_at_the_other_instance(keys, client):
    from django.test import Client

    with as_country("mx"), _as("retorno-mx", keys["mx"], keys["trusted"]):
        officer = make_user(Role.RECEPTION_OFFICER, point=ReceptionPoint.objects.get(code="TIJ"))
        page = Client()
        page.force_login(officer)
        fields = {
            "point": officer.reception_point_id, "to_country": "gt", "given_names": "Ana Lucía",
            "first_surname": "Tzoc", "sex": "M", "birth_date": "17/05/1990", "national_id": "2976 07049 1301",
            "consent_scope": ["identity"], "consent_method": "verbal",
        }  # fmt: skip
        r = page.post("/manifests/transfers/", {"action": "export", **{f"out-{k}": v for k, v in fields.items()}})
        assert r.status_code == 200
        package = r.context["package"]
        assert package.count(".") == 2 and 'id="package-ready"' in r.content.decode()
        keys["trusted"].write_text(yaml.safe_dump([transfers.public_entry()]), encoding="utf-8")
    with as_country("gt"), _as("retorno-gt", keys["gt"], keys["trusted"]):
        officer = make_user(Role.RECEPTION_OFFICER, point=ReceptionPoint.objects.get(code="FAG"))
        page = Client()
        page.force_login(officer)
        bad = page.post("/manifests/transfers/", {"action": "import", "in-point": officer.reception_point_id, "in-package": package[:-3] + "AAA"})
        assert bad.status_code == 200 and "firma del paquete no es válida" in bad.content.decode()
        assert not Manifest.objects.exists()
        good = page.post("/manifests/transfers/", {"action": "import", "in-point": officer.reception_point_id, "in-package": package})
        manifest = Manifest.objects.get()
        assert good.status_code == 302 and good["Location"] == f"/manifests/{manifest.pk}/"
        listing = page.get("/manifests/transfers/").content.decode()
        assert "retorno-mx" in listing and "identity" in listing
