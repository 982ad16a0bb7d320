"""Pages and API: isolation between institutions and points, audit of reads, bad input 4xx."""

import pytest
from django.urls import reverse

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.directory.tests.factories import make_service
from retorno.referrals.models import Consent, Referral, Status
from retorno.referrals.tests.factories import make_consent, make_person_at, make_referral
from retorno.testing.factories import make_institution, make_point, make_token, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tij, mxl = make_point("TIJ"), make_point("MXL")
    sne, salud = make_institution("SNE"), make_institution("SALUD")
    w = dict(
        tij=tij,
        officer=make_user(Role.RECEPTION_OFFICER, point=tij),
        officer_mxl=make_user(Role.RECEPTION_OFFICER, point=mxl),
        supervisor=make_user(Role.SUPERVISOR, point=tij),
        cw_sne=make_user(Role.CASEWORKER, institution=sne),
        cw_salud=make_user(Role.CASEWORKER, institution=salud),
        analyst=make_user(Role.ANALYST),
        sne=sne,
        service=make_service(sne, code="empleo", needs=["employment"], shared_fields=["full_name"]),
        health=make_service(salud, code="salud", needs=["health_care"], is_health=True),
        person=make_person_at(tij, given_names="Rosa", sex="M"),
    )
    w["referral"] = make_referral(w["person"], w["service"], status=Status.SENT, point=tij)
    w["health_referral"] = make_referral(w["person"], w["health"], status=Status.SENT, point=tij)
    return w


def api(client, user, method, path, **kw):
    token = make_token(user)
    return getattr(client, method)(
        "/api/referrals" + path, HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json", **kw
    )


def test_caseworker_inbox_lists_only_own_institution(client, world):
    client.force_login(world["cw_sne"])
    page = client.get(reverse("referrals:inbox"))
    assert page.status_code == 200
    ids = [r.pk for r in page.context["page"]]
    assert ids == [world["referral"].pk]


def test_caseworker_cannot_open_another_institutions_referral_page_or_api(client, world):
    client.force_login(world["cw_salud"])
    assert client.get(reverse("referrals:detail", args=[world["referral"].pk])).status_code == 404
    r = api(client, world["cw_salud"], "get", f"/referrals/{world['referral'].pk}")
    assert r.status_code == 404
    listed = api(client, world["cw_salud"], "get", "/referrals").json()["items"]
    assert [x["id"] for x in listed] == [world["health_referral"].pk]
    assert AuditEntry.objects.filter(user=world["cw_salud"], action=AuditEntry.Action.SEARCH).exists()


def test_caseworker_never_reaches_the_person_record(client, world):
    client.force_login(world["cw_sne"])
    assert client.get(reverse("referrals:person", args=[world["person"].pk])).status_code == 403
    assert api(client, world["cw_sne"], "get", f"/consents?person_id={world['person'].pk}").status_code == 403
    r = client.get(
        f"/api/directory/eligibility/{world['person'].pk}",
        HTTP_AUTHORIZATION=f"Bearer {make_token(world['cw_sne'])}",
    )
    assert r.status_code == 403


def test_caseworker_detail_shows_only_shared_fields_and_is_audited(client, world):
    client.force_login(world["cw_sne"])
    page = client.get(reverse("referrals:detail", args=[world["referral"].pk]))
    assert page.status_code == 200
    assert page.context["shared"] == [("Nombre", "Rosa Pérez López")]
    assert reverse("referrals:person", args=[world["person"].pk]) not in page.content.decode()
    entry = AuditEntry.objects.filter(user=world["cw_sne"], action=AuditEntry.Action.VIEW).get()
    assert entry.person_id == world["person"].pk and entry.object_id == str(world["referral"].pk)
    body = api(client, world["cw_sne"], "get", f"/referrals/{world['referral'].pk}").json()
    assert body["person_id"] is None and body["shared_data"] == {"full_name": "Rosa Pérez López"}


def test_caseworker_does_not_see_drafts(client, world):
    draft = make_referral(
        make_person_at(world["tij"]), world["service"], status=Status.DRAFT, point=world["tij"]
    )
    assert api(client, world["cw_sne"], "get", f"/referrals/{draft.pk}").status_code == 404


def test_officer_of_another_point_sees_nothing(client, world):
    client.force_login(world["officer_mxl"])
    assert client.get(reverse("referrals:detail", args=[world["referral"].pk])).status_code == 404
    assert client.get(reverse("referrals:person", args=[world["person"].pk])).status_code == 404
    assert list(client.get(reverse("referrals:inbox")).context["page"]) == []
    assert api(client, world["officer_mxl"], "get", f"/referrals/{world['referral'].pk}").status_code == 404
    r = api(
        client,
        world["officer_mxl"],
        "post",
        "/referrals",
        data={"person_id": world["person"].pk, "service": "empleo"},
    )
    assert r.status_code == 404


def test_analyst_sees_no_referrals(client, world):
    assert api(client, world["analyst"], "get", "/referrals").status_code == 403
    assert api(client, world["analyst"], "get", f"/referrals/{world['referral'].pk}").status_code == 403


def test_supervisor_of_the_point_sees_the_outcome_on_the_person_page(client, world):
    referral = world["referral"]
    referral.status, referral.outcome = Status.COMPLETED, "Contratada en una empacadora"
    referral.save()
    client.force_login(world["supervisor"])
    page = client.get(reverse("referrals:person", args=[world["person"].pk]))
    assert page.status_code == 200
    assert "Contratada en una empacadora" in page.content.decode()


def test_person_page_says_consent_is_missing_and_offers_no_send_button(client, world):
    client.force_login(world["officer"])
    other = make_person_at(world["tij"], given_names="Ana")
    # Give the person an employment need through the profile's baseline (no documents -> identity).
    make_service(world["sne"], code="docs", needs=["identity_documents"])
    page = client.get(reverse("referrals:person", args=[other.pk])).content.decode()
    assert "falta el consentimiento de la persona" in page
    assert 'name="send"' not in page
    make_consent(other, world["sne"])
    page = client.get(reverse("referrals:person", args=[other.pk])).content.decode()
    assert 'name="send"' in page


def test_page_refer_without_consent_shows_the_message_and_creates_nothing_sent(client, world):
    client.force_login(world["officer"])
    other = make_person_at(world["tij"], given_names="Ana")
    r = client.post(
        reverse("referrals:refer", args=[other.pk]), {"service": "empleo", "send": "1"}, follow=True
    )
    assert "No hay consentimiento vigente" in r.content.decode()
    assert not Referral.objects.filter(person=other).exists()


def test_a_service_already_referred_is_marked_with_its_referral_not_offered_again(client, world):
    client.force_login(world["officer"])
    # A person without a diagnosis needs identity documents (the profile's baseline).
    docs = make_service(world["sne"], code="docs", needs=["identity_documents"])
    other = make_person_at(world["tij"], given_names="Ana")
    make_consent(other, world["sne"])
    url = reverse("referrals:person", args=[other.pk])
    assert (
        "Enviar canalización"
        in client.get(url).content.decode().split('data-service="docs"')[1].split("</tr>")[0]
    )
    referral = make_referral(other, docs, status=Status.ACCEPTED, point=world["tij"])
    row = client.get(url).content.decode().split('data-service="docs"')[1].split("</tr>")[0]
    assert "Ya canalizada" in row and reverse("referrals:detail", args=[referral.pk]) in row
    assert "Enviar canalización" not in row


def test_sending_without_contact_data_needs_a_confirmation(client, world):
    client.force_login(world["officer"])
    make_service(world["sne"], code="docs", needs=["identity_documents"])
    other = make_person_at(world["tij"], given_names="Ana")  # no phone, no destination
    make_consent(other, world["sne"])
    page = client.get(reverse("referrals:person", args=[other.pk])).content.decode()
    assert "no tendrá cómo localizar a la persona: no hay teléfono, no hay lugar de destino" in page
    assert 'name="without_contact"' in page
    r = client.post(
        reverse("referrals:refer", args=[other.pk]), {"service": "docs", "send": "1"}, follow=True
    )
    assert "No se envió: no hay teléfono, no hay lugar de destino" in r.content.decode()
    assert not Referral.objects.filter(person=other).exists()
    r = client.post(
        reverse("referrals:refer", args=[other.pk]), {"service": "docs", "send": "1", "without_contact": "1"}
    )
    assert Referral.objects.get(person=other).status == Status.SENT
    # With a phone and a destination there is nothing to confirm.
    other.phone_mx = "6641234567"
    other.save()
    event = other.events.get()
    event.destination_municipality = "Tijuana"
    event.save()
    page = client.get(reverse("referrals:person", args=[other.pk])).content.decode()
    assert "contact-gaps" not in page and 'name="without_contact"' not in page


def test_consent_choices_name_institutions_in_full(world):
    from retorno.referrals.forms import ConsentForm

    world["sne"].name, world["sne"].acronym = "Servicio Nacional de Empleo", "SNE"
    world["sne"].save()
    labels = [label for _value, label in ConsentForm().fields["institution"].choices]
    assert "Servicio Nacional de Empleo (SNE)" in labels


def test_api_consent_and_referral_flow(client, world):
    other = make_person_at(world["tij"], given_names="Luis")
    officer = world["officer"]
    r = api(
        client, officer, "post", "/referrals", data={"person_id": other.pk, "service": "empleo", "send": True}
    )
    assert r.status_code == 409 and r.json()["code"] == "no_consent"
    r = api(
        client,
        officer,
        "post",
        "/consents",
        data={"person_id": other.pk, "institution": "SNE", "purpose": "referral", "method": "signed"},
    )
    assert r.status_code == 201 and r.json()["valid"] is True
    consent_id = r.json()["id"]
    r = api(
        client, officer, "post", "/referrals", data={"person_id": other.pk, "service": "empleo", "send": True}
    )
    assert r.status_code == 201 and r.json()["status"] == "sent"
    rid = r.json()["id"]
    cw = world["cw_sne"]
    r = api(client, cw, "post", f"/referrals/{rid}/transitions", data={"to_status": "rejected"})
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = api(
        client, cw, "post", f"/referrals/{rid}/transitions", data={"to_status": "completed", "outcome": "x"}
    )
    assert r.status_code == 409
    r = api(client, cw, "post", f"/referrals/{rid}/transitions", data={"to_status": "accepted"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = api(
        client,
        officer,
        "post",
        f"/referrals/{rid}/transitions",
        data={"to_status": "completed", "outcome": "x"},
    )
    assert r.status_code == 403
    r = api(
        client,
        cw,
        "post",
        f"/referrals/{rid}/transitions",
        data={"to_status": "completed", "outcome": "Colocado"},
    )
    assert r.json()["outcome"] == "Colocado"
    steps = api(client, officer, "get", f"/referrals/{rid}/transitions").json()
    assert [s["to_status"] for s in steps] == ["draft", "sent", "accepted", "completed"]
    r = api(client, officer, "post", f"/consents/{consent_id}/withdraw", data={"reason": "Cambió de opinión"})
    assert r.status_code == 200 and r.json()["valid"] is False
    assert Consent.objects.get(pk=consent_id).withdrawn_at is not None


@pytest.mark.parametrize(
    "path,data",
    [
        ("/referrals", {}),
        ("/referrals", {"person_id": "abc", "service": "empleo"}),
        ("/referrals", {"person_id": 10**12, "service": "empleo"}),
        ("/referrals", {"person_id": 1, "service": "x" * 5000}),
        ("/consents", {"person_id": 1, "institution": "SNE"}),
        ("/referrals/999999/transitions", {"to_status": "accepted"}),
        ("/consents/999999/withdraw", {"reason": "x"}),
    ],
)
def test_bad_api_input_is_a_4xx_never_a_500(client, world, path, data):
    r = api(client, world["officer"], "post", path, data=data)
    assert 400 <= r.status_code < 500, r.content


def test_bad_consent_values_are_400_in_spanish_and_english(client, world):
    data = {"person_id": world["person"].pk, "institution": "SNE", "purpose": "x", "method": "verbal"}
    r = api(client, world["officer"], "post", "/consents", data=data)
    assert r.status_code == 400 and r.json()["errors"]["purpose"] == ["Valor no válido."]
    r = api(client, world["officer"], "post", "/consents", data=data, HTTP_ACCEPT_LANGUAGE="en")
    assert r.json()["errors"]["purpose"] == ["Invalid value."]


def test_page_transition_with_garbage_is_handled(client, world):
    client.force_login(world["cw_sne"])
    url = reverse("referrals:transition", args=[world["referral"].pk])
    r = client.post(url, {"to_status": "nonsense"}, follow=True)
    assert r.status_code == 200
    r = client.post(url, {"to_status": "rejected", "reason": ""}, follow=True)
    assert "Indique el motivo del rechazo." in r.content.decode()
    world["referral"].refresh_from_db()
    assert world["referral"].status == Status.SENT


def test_consent_document_is_served_only_within_scope_and_audited(client, world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world["officer"])
    upload = SimpleUploadedFile("consentimiento.pdf", b"%PDF-1.4 firmado", content_type="application/pdf")
    r = client.post(
        reverse("referrals:consent_add", args=[world["person"].pk]),
        {"institution": "SNE", "purpose": "referral", "method": "signed", "document": upload},
    )
    assert r.status_code == 302
    consent = Consent.objects.get(person=world["person"])
    url = reverse("referrals:consent_document", args=[consent.pk])
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 firmado"
    assert AuditEntry.objects.filter(object_id=str(consent.pk), detail__what="consent_document").exists()
    for outsider, status in ((world["officer_mxl"], 404), (world["cw_sne"], 403), (world["analyst"], 403)):
        client.force_login(outsider)
        assert client.get(url).status_code == status


def test_consent_form_rejects_a_non_pdf_document(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["officer"])
    upload = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    r = client.post(
        reverse("referrals:consent_add", args=[world["person"].pk]),
        {"institution": "SNE", "purpose": "referral", "method": "signed", "document": upload},
        follow=True,
    )
    assert "El documento debe ser PDF, JPG o PNG." in r.content.decode()
    assert not Consent.objects.exists()
