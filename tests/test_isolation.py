"""An officer of one point cannot read another point's people through any page or API call.

The test enumerates every URL pattern of the project (Django's resolver) and every operation of
the OpenAPI document, so routes added later by any app are covered without editing this file.
Each is called by an officer of point B with the ids of point A's records; no response may carry
personal data of A's person (names, CURP, phone).
"""

import itertools
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.reception.demo import demo_national_id
from retorno.reception.services import HandoverData, family_group_for_event, handover_record
from retorno.reception.tests.factories import make_desk, register
from retorno.testing.factories import make_token, make_user

pytestmark = pytest.mark.django_db

# Distinctive values of point A's person: none may appear in a response to point B's officer.
GIVEN, FIRST, SECOND = "Zacarias", "Quintanilla", "Yanez"
BORN = date(1987, 7, 23)
PHONE = "6649876543"
# Routes whose GET/POST change the session itself rather than read records.
SKIP_PATHS = ("accounts/logout/", "i18n/setlang/", "admin/logout/")
_CONVERTER = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@pytest.fixture
def world():
    point_a, officer_a = make_desk("TIJ")
    point_b, officer_b = make_desk("MXL")
    curp = demo_national_id(GIVEN, FIRST, SECOND, "H", BORN, "MN")
    event = register(
        officer_a,
        point_a,
        given_names=GIVEN,
        first_surname=FIRST,
        second_surname=SECOND,
        sex="H",
        birth_date=BORN,
        curp=curp,
        phone_mx=PHONE,
        arrived_at=timezone.now() - timedelta(hours=2),
    )
    group = family_group_for_event(user=officer_a, event_id=event.pk)
    minor = register(
        officer_a,
        point_a,
        given_names="Kevin",
        first_surname=FIRST,
        second_surname=SECOND,
        sex="H",
        birth_date=timezone.localdate() - timedelta(days=14 * 365),
        unaccompanied_minor=True,
        family_group=group,
    )
    handover = handover_record(
        user=officer_a,
        event_id=minor.pk,
        data=HandoverData(received_by_name="Lic. Treviño", handed_over_at=timezone.now()),
    )
    # Point B has its own person, so its pages are not trivially empty.
    register(officer_b, point_b, given_names="Rosa", first_surname="Ortega", birth_date=date(1970, 1, 1))
    ids = sorted({event.person_id, event.pk, minor.pk, minor.person_id, handover.pk, group.pk})
    markers = [FIRST, SECOND + " ", curp, curp[:10], PHONE, GIVEN]
    return {"officer_a": officer_a, "officer_b": officer_b, "ids": ids, "markers": markers, "curp": curp}


def _patterns(resolvers=None, prefix=""):
    """(route template, pattern) for every URL pattern, depth first."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _concrete(route: str, ids: list[int], curp: str) -> list[str]:
    """Fill the route's parameters with each of A's ids (or the CURP / a token for strings)."""
    if route.startswith("^") or "(?P" in route:
        route = route.lstrip("^").rstrip("$")
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    params = _CONVERTER.findall(route)
    if not params:
        return ["/" + route]
    urls = []
    for value in ids:
        url = route
        for conv, name in params:
            filler = (
                str(value) if conv in ("int", "") and not name.endswith(("token", "code", "slug")) else None
            )
            if filler is None:
                filler = curp if conv in ("str", "slug", "") else "00000000-0000-0000-0000-000000000000"
            url = _CONVERTER.sub(filler, url, count=1)
        urls.append("/" + url)
    return sorted(set(urls))


def _leaks(body: str, markers: list[str], url: str = "") -> list[str]:
    # The requested URL echoed back (e.g. the language switcher's `next`) is the caller's own
    # input, not data read from the database.
    lowered = body.replace(url, "").lower() if url else body.lower()
    return [m for m in markers if m.lower() in lowered]


def _web_urls(world):
    for route in _patterns():
        if route.startswith(SKIP_PATHS) or "static" in route:
            continue
        yield from _concrete(route, world["ids"], world["curp"])


def test_markers_are_visible_to_the_own_point(world):
    """Positive control: the same probe finds the markers where they are allowed."""
    c = Client()
    c.force_login(world["officer_a"])
    bodies = "".join(
        c.get(url).content.decode(errors="replace") for url in _web_urls(world) if "persons/" in url
    )
    assert set(_leaks(bodies, world["markers"])) >= {FIRST, world["curp"]}


def test_no_page_leaks_another_points_person(world):
    c = Client(raise_request_exception=False)
    c.force_login(world["officer_b"])
    leaks, errors, checked = [], [], 0
    for url in _web_urls(world):
        for method in ("get", "post"):
            response = getattr(c, method)(url)
            checked += 1
            body = response.content.decode(errors="replace")
            found = _leaks(body, world["markers"], url)
            if found:
                leaks.append((method.upper(), url, response.status_code, found))
            if response.status_code >= 500:
                errors.append((method.upper(), url, response.status_code))
    assert checked > 20, "the resolver walk found too few URLs"
    assert leaks == []
    assert errors == [], "server errors on other points' ids (no input may give a 500)"


def _api_operations(client) -> list[tuple[str, str]]:
    doc = client.get("/api/openapi.json").json()
    return [
        (path, method) for path, item in doc["paths"].items() for method in item if method != "parameters"
    ]


def _api_urls(path: str, ids: list[int], curp: str) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    if not names:
        return [path]
    urls = []
    for value in ids:
        url = path
        for name in names:
            filler = curp if name.endswith(("code", "curp", "token", "slug")) else str(value)
            url = url.replace("{" + name + "}", filler)
        urls.append(url)
    return urls


def test_no_api_operation_leaks_another_points_person(world):
    c = Client(HTTP_AUTHORIZATION=f"Bearer {make_token(world['officer_b'])}", raise_request_exception=False)
    operations = _api_operations(c)
    assert any(p.startswith("/api/identity/") for p, _ in operations)
    leaks, errors = [], []
    for path, method in operations:
        for url in _api_urls(path, world["ids"], world["curp"]):
            kwargs = (
                {"content_type": "application/json", "data": "{}"}
                if method in ("post", "put", "patch")
                else {}
            )
            response = getattr(c, method)(url, **kwargs)
            found = _leaks(response.content.decode(errors="replace"), world["markers"], url)
            if found:
                leaks.append((method.upper(), url, response.status_code, found))
            if response.status_code >= 500:
                errors.append((method.upper(), url, response.status_code))
    assert leaks == []
    assert errors == [], "server errors on other points' ids (no input may give a 500)"


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CASEWORKER])
def test_roles_without_personal_data_see_no_person_anywhere(world, role):
    user = make_user(role)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {make_token(user)}", raise_request_exception=False)
    web = Client(raise_request_exception=False)
    web.force_login(user)
    leaks = []
    for url in _web_urls(world):
        found = _leaks(web.get(url).content.decode(errors="replace"), world["markers"], url)
        if found:
            leaks.append(("GET", url, found))
    for path, method in _api_operations(api):
        if method != "get":
            continue
        for url in _api_urls(path, world["ids"], world["curp"]):
            found = _leaks(api.get(url).content.decode(errors="replace"), world["markers"], url)
            if found:
                leaks.append(("API GET", url, found))
    assert leaks == []


def test_walk_covers_the_reception_and_identity_routes(world):
    urls = set(_web_urls(world))
    ids = world["ids"]
    assert {f"/persons/{i}/" for i in ids} <= urls
    assert {f"/reception/events/{i}/" for i in ids} <= urls
    assert list(itertools.islice(urls, 1))
