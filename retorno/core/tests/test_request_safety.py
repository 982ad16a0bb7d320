"""No 500 on any input: NUL bytes and invalid Unicode are refused with 400 in query strings,
bodies and forms; pagination is bounded; a forged X-Forwarded-For is ignored; headers set."""

import json

import pytest
from django.test import Client, override_settings

from retorno.audit.models import AuditEntry
from retorno.testing.factories import api_client, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client():
    c = Client()
    c.force_login(make_user())
    return c


@pytest.mark.parametrize("query", ["q=a%00b", "q=%ff%fe", "page=1%00"])
def test_nul_and_invalid_utf8_in_a_query_string_are_400_on_pages_and_api(officer_client, query):
    page = officer_client.get(f"/persons/?{query}")
    assert page.status_code == 400 and "nulo" in page.content.decode()
    api = api_client(make_user()).get(f"/api/identity/persons?{query}")
    assert api.status_code == 400 and "detail" in api.json()


def test_nul_in_a_form_and_in_json_bodies_is_400(officer_client):
    assert officer_client.post("/reception/", {"given_names": "Ju\x00an"}).status_code == 400
    api = api_client(make_user())
    for body in ('{"given_names": "a\\u0000b", "sex": "H"}', '{"given_names": "\\ud800", "sex": "H"}'):
        response = api.post("/api/identity/match", data=body, content_type="application/json")
        assert response.status_code == 400, body
    raw = b'{"given_names": "caf\xe9"}'  # Latin-1, not UTF-8
    assert api.post("/api/identity/match", data=raw, content_type="application/json").status_code == 400
    # An emoji (an escaped surrogate pair) is fine.
    ok = api.post("/api/identity/match", data=json.dumps({"given_names": "Ana 😀"}), content_type="application/json")
    assert ok.status_code == 200
    # Looked for in Python: PostgreSQL refuses a NUL even in a query parameter.
    assert not any("\\u0000" in json.dumps(e.detail) for e in AuditEntry.objects.all())


@pytest.mark.parametrize("query", ["page=99999999999999999999", "page=-3", "page=abc", "page_size=100000"])
def test_huge_or_odd_page_numbers_never_reach_the_database(officer_client, query):
    assert officer_client.get(f"/reception/events/?{query}").status_code == 200
    response = api_client(make_user()).get(f"/api/reception/events?{query}")
    assert response.status_code in (200, 422) and response.status_code != 500
    offset = api_client(make_user()).get("/api/referrals/referrals/pending?limit=307260672605368564695510810624")
    assert offset.status_code == 422


def test_an_id_filter_beyond_64_bits_is_refused_alike_on_both_databases():
    from retorno.accounts.models import Role

    # Found by Schemathesis: SQLite's driver raised OverflowError (a 500), PostgreSQL found nothing.
    response = api_client(make_user(Role.ANALYST)).get("/api/policy/reports?institution_id=41534287203374039040")
    assert response.status_code == 422 and "institution_id" in response.json()["errors"]


@override_settings(RETORNO_TRUSTED_PROXIES=[])
def test_x_forwarded_for_is_ignored_from_an_untrusted_peer_and_junk_never_crashes():
    api = api_client(make_user())
    for forwarded in ("not-an-ip", "1.2.3.4", "::::", "a" * 500):
        assert api.get("/api/reception/events", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.5").status_code == 200
    assert set(AuditEntry.objects.values_list("ip", flat=True)) <= {"10.0.0.5"}


def test_a_trusted_proxys_forwarded_address_is_the_client():
    import ipaddress

    from retorno.reception.tests.factories import make_desk, register

    point, officer = make_desk()
    register(officer, point)  # a list with a person in it is audited, with the address
    with override_settings(RETORNO_TRUSTED_PROXIES=[ipaddress.ip_network("10.0.0.0/8")]):
        api = api_client(officer)
        api.get("/api/reception/events", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.9", REMOTE_ADDR="10.0.0.5")
        api.get("/api/reception/events", HTTP_X_FORWARDED_FOR="junk, 10.0.0.9", REMOTE_ADDR="10.0.0.5")
    ips = list(AuditEntry.objects.order_by("id").values_list("ip", flat=True))
    assert ips[-2:] == ["203.0.113.7", "10.0.0.5"]


def test_every_response_carries_csp_and_permissions_policy(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    docs = client.get("/api/docs")
    assert "unsafe-inline" in docs["Content-Security-Policy"]  # Swagger UI's styles, its page only


def test_no_template_carries_inline_script_or_style():
    from pathlib import Path

    offenders = []
    for path in Path("retorno").rglob("templates/**/*.html"):
        text = path.read_text()
        for marker in ("<script>", "<style", " style=\"", "onclick=", "onchange=", "onsubmit="):
            if marker in text:
                offenders.append((str(path), marker))
    assert offenders == []


def test_error_pages_are_translated_and_lead_back(client):
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "Ir al inicio" in page.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/no-such-page/")
    assert "Go to the home page" in english.content.decode()
    client.force_login(make_user())
    forbidden = client.get("/audit/")
    assert forbidden.status_code == 403 and "Sin permiso" in forbidden.content.decode()


def test_readyz_checks_the_database(client):
    assert client.get("/readyz").json() == {"status": "ready", "database": "ok"}
    assert client.get("/healthz").status_code == 200
