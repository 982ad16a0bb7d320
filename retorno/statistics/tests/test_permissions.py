"""Every statistics URL and API endpoint with every role: who gets in, and what they see.

Analysts and the public get suppressed aggregates only; no answer contains personal data.
"""

import pytest
from django.test import Client

from retorno.accounts.models import Role
from retorno.statistics.tests.factories import known_dataset
from retorno.testing.factories import make_token, make_user

pytestmark = pytest.mark.django_db

PAGES = [
    "/statistics/?month=2026-10",
    "/statistics/indicators/?start=2026-10&end=2026-10",
    "/statistics/download/bulletin.csv?month=2026-10",
    "/statistics/download/point_sex.xlsx?month=2026-10",
    "/statistics/download/state_sex.parquet?month=2026-10",
]
PUBLIC_PAGES = [
    "/statistics/open-data/?month=2026-10",
    "/statistics/open-data/bulletin.csv?month=2026-10",
    "/statistics/open-data/age_sex.xlsx?month=2026-10",
    "/statistics/open-data/persons_returns.parquet?month=2026-10",
]
API = [
    "/api/statistics/bulletin?month=2026-10",
    "/api/statistics/bulletin/point_sex?month=2026-10",
    "/api/statistics/indicators?start=2026-10&end=2026-10",
    "/api/statistics/indicators/events_total?start=2026-10",
    "/api/statistics/freshness",
]
PUBLIC_API = ["/api/statistics/public/bulletin?month=2026-10"]

# Fragments of the known dataset's personal data that must never appear in a statistics answer.
PERSONAL = ["Pérez", "López", "Tomás", "Rosa", "1996-01-01", "Juan"]

DENIED_ROLES = [Role.RECEPTION_OFFICER, Role.CHILD_PROTECTION, Role.CASEWORKER]
ALLOWED_ROLES = [Role.ANALYST, Role.SUPERVISOR, Role.ADMIN]


def _user(role, data, **kw):
    if role == Role.RECEPTION_OFFICER:
        kw.setdefault("point", data["tij"])
    return make_user(role, **kw)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response) -> str:
    return (
        response.content.decode("utf-8", "replace")
        if response.get("Content-Type", "").startswith(("text", "application/json"))
        else ""
    )


@pytest.fixture
def data():
    return known_dataset()


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login_from_internal_pages(client, data, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("url", API)
def test_anonymous_gets_401_from_the_internal_api(client, data, url):
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("role", DENIED_ROLES)
@pytest.mark.parametrize("url", PAGES + API)
def test_case_roles_are_refused_internal_statistics(data, role, url):
    assert _client(_user(role, data)).get(url).status_code == 403


@pytest.mark.parametrize("role", [None, *DENIED_ROLES, *ALLOWED_ROLES])
@pytest.mark.parametrize("url", PUBLIC_PAGES + PUBLIC_API)
def test_everyone_reaches_the_open_data_without_personal_data(client, data, role, url):
    if role is not None:
        client = _client(_user(role, data))
    response = client.get(url)
    assert response.status_code == 200
    for fragment in PERSONAL:
        assert fragment not in _body(response)


@pytest.mark.parametrize("url", PAGES + API)
def test_analysts_get_aggregates_without_personal_data(data, url):
    response = _client(make_user(Role.ANALYST)).get(url)
    assert response.status_code == 200
    for fragment in PERSONAL:
        assert fragment not in _body(response)


def test_analysts_get_suppressed_tables_national_supervisors_exact_ones(data):
    analyst = _client(make_user(Role.ANALYST)).get(API[0]).json()
    national = _client(make_user(Role.SUPERVISOR)).get(API[0]).json()
    assert analyst["suppressed"] is True and analyst["min_cell"] == 5
    assert national["suppressed"] is False
    for table in analyst["tables"]:
        assert all(v is None or v == 0 or v >= 5 for row in table["values"] for v in row)
    point_sex = next(t for t in national["tables"] if t["key"] == "point_sex")
    assert point_sex["values"][-1] == [8, 2, 10]


def test_a_point_supervisor_sees_only_the_point(data):
    client = _client(make_user(Role.SUPERVISOR, point=data["mxl"]))
    payload = client.get(API[0]).json()
    point_sex = next(t for t in payload["tables"] if t["key"] == "point_sex")
    assert [r["key"] for r in point_sex["rows"]] == ["MXL"]
    assert payload["summary"]["events"] == 3
    page = client.get("/statistics/?month=2026-10")
    assert "Tijuana" not in page.content.decode()
    # Another point in the filters is refused, not silently widened.
    assert client.get("/api/statistics/bulletin?month=2026-10&point=TIJ").status_code == 400
    indicators = client.get("/api/statistics/indicators?start=2026-10").json()
    events = next(i for i in indicators["indicators"] if i["name"] == "events_total")
    assert events["value"] == 3


def test_the_api_accepts_bearer_tokens(data):
    token = make_token(make_user(Role.ANALYST))
    response = Client().get(API[0], HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


@pytest.mark.parametrize("role", DENIED_ROLES)
def test_refresh_is_refused_to_case_roles(data, role):
    client = _client(_user(role, data))
    assert client.post("/statistics/refresh/", {"month": "2026-10"}).status_code == 403
    assert (
        client.post(
            "/api/statistics/refresh", {"start": "2026-10"}, content_type="application/json"
        ).status_code
        == 403
    )


@pytest.mark.parametrize("role", ALLOWED_ROLES)
def test_statistics_roles_may_refresh(data, role):
    client = _client(make_user(role))
    assert client.post("/statistics/refresh/", {"month": "2026-10"}).status_code == 302
    response = client.post(
        "/api/statistics/refresh", {"start": "2026-09", "end": "2026-10"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert [m["month"] for m in response.json()] == ["2026-09", "2026-10"]
