"""Every URL and API operation x every role x an object in and out of the role's scope.

The expected answer comes from the permission table (accounts.permissions), read off the view
itself (pages: `requires(...)`; API: the `x-retorno-permission` of the OpenAPI document), so a
route added later is covered without editing this file, and a route without a declared
permission fails here. For each role:

- without the permission: 403, on any object;
- with it, on a record it reaches: a page or a read answers (200, or a redirect), a write is
  refused only for its input (never 401/403/404/500);
- with it, on a record of another point (or another institution): 404, and a write never succeeds.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from retorno.accounts.models import ApiToken, Role
from retorno.accounts.permissions import can
from retorno.jobs.models import Job
from retorno.testing.world import token_for, world_build

pytestmark = pytest.mark.django_db

ROLES = [Role.RECEPTION_OFFICER, Role.SUPERVISOR, Role.CHILD_PROTECTION, Role.CASEWORKER, Role.ANALYST, Role.ADMIN]
# Routes that are Django's or the session's own (no record behind them).
OUTSIDE_THE_TABLE = ("admin/", "i18n/", "jsi18n/", "static/", "accounts/login/", "accounts/logout/", "api/")
NATIONAL = (Role.ADMIN,)
_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
# `pk` means a different record under each prefix.
_PK_BY_PREFIX = {
    "diagnosis/": "diagnosis_id",
    "followup/survey/": "survey_id",
    "policy/reports/": "report_id",
    "policy/evidence/": "evidence_id",
}
# Parameters that name no personal record (catalogues): the same value in and out of scope.
_CATALOGUE = {
    "code": "empleo",
    "table": "point_month",
    "fmt": "csv",
    "name": "events_total",
    "questionnaire_id": None,
    "vacancy_id": None,  # a job offer: no person behind it
}


@pytest.fixture
def world():
    return world_build()


def _routes(patterns=None, prefix=""):
    """(route template, view) of every URL pattern, depth first."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def _value(name: str, route: str, ids: dict, world, user, scope: str):
    if name == "pk":
        name = next(v for p, v in _PK_BY_PREFIX.items() if route.startswith(p))
    if name == "token_id":
        owner = user if scope == "in" else world.analyst if user != world.analyst else world.admin
        return ApiToken.issue(owner, "matrix")[0].pk
    if name == "job_id":
        owner = user if scope == "in" else world.analyst if user != world.analyst else world.admin
        # A finished job with a file, of a kind no longer registered (its result needs no more
        # than being its owner).
        return Job.objects.create(
            kind="retired_kind", requested_by=owner, status=Job.Status.DONE, result_name="r.txt", result_data=b"r"
        ).pk
    if name == "code":
        return "4.4.3" if route.startswith(("policy/", "policy/lines/")) else ids["service_code"]
    if name in _CATALOGUE:
        value = _CATALOGUE[name]
        return ids[name] if value is None else value
    return ids[name]


def _fill(route: str, ids: dict, world, user, scope: str) -> str:
    def repl(m):
        return str(_value(m.group("name"), route, ids, world, user, scope))

    return "/" + _PARAM.sub(repl, route)


def _fill_api(path: str, ids: dict, world, user, scope: str) -> str:
    def repl(m):
        return str(_value(m.group(1), path[5:], ids, world, user, scope))

    return re.sub(r"{(\w+)}", repl, path)


def _web_cases():
    for route, view in _routes():
        if route.startswith(OUTSIDE_THE_TABLE):
            continue
        yield route, view


def _has_params(route: str) -> bool:
    return bool(_PARAM.search(route) or "{" in route)


def _scoped(route: str) -> bool:
    """The route names a record of a person (or of an institution's referral)."""
    names = set(_PARAM.findall(route)) | set(re.findall(r"{(\w+)}", route))
    names = {n[1] if isinstance(n, tuple) else n for n in names}
    return bool(names - set(_CATALOGUE) - {"token_id", "job_id"}) and not route.startswith(("policy/", "/api/policy/"))




def _check(results: list, method: str, url: str, status: int, allowed: bool, scope: str, scoped: bool):
    if status >= 500:
        results.append((method, url, status, "server error"))
    elif not allowed:
        if status != 403:
            results.append((method, url, status, "expected 403"))
    elif scope == "in":
        if status in (401, 403, 404):
            results.append((method, url, status, "refused although in scope"))
        elif method == "GET" and status not in (200, 302):
            results.append((method, url, status, "read did not answer"))
    elif scoped:
        if method == "GET" and status not in (403, 404):
            results.append((method, url, status, "another scope's record was answered"))
        if method != "GET" and status < 400:
            results.append((method, url, status, "a write on another scope's record succeeded"))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_follows_the_permission_table(world, role):
    user = world.user(role)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    problems, checked = [], 0
    for route, view in _web_cases():
        assert hasattr(view, "retorno_permission"), f"/{route} declares no permission (accounts.permissions)"
        permission = view.retorno_permission
        allowed = permission is None or can(user, permission)
        national_only = role == Role.SUPERVISOR and route.startswith("policy/reports/<int:pk>/review/")
        scoped = _scoped(route) and permission is not None
        scopes = ["in", "out"] if scoped and role not in NATIONAL else ["in"]
        for scope in scopes:
            url = _fill(route, world.ids(scope, role), world, user, scope)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if response.status_code == 405:
                    continue
                checked += 1
                if national_only and method == "post" and response.status_code == 403:
                    continue  # the review form: national supervisors only (a scope rule)
                _check(problems, method.upper(), url, response.status_code, allowed, scope, scoped)
    assert checked > 100
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize("role", ROLES)
def test_every_api_operation_follows_the_permission_table(world, role):
    from retorno.api import api

    user = world.user(role)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}", raise_request_exception=False)
    document = api.get_openapi_schema()
    problems, checked = [], 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "x-retorno-permission" in operation, f"{method} {path} declares no permission"
            if operation.get("security") == [{"PortalBearer": []}]:
                continue  # the returnee's own API: a person's portal token, never a staff role (portal/tests)
            permission = operation["x-retorno-permission"]
            allowed = permission is None or can(user, permission)
            needs_query = any(p.get("required") and p.get("in") == "query" for p in operation.get("parameters", []))
            scoped = _scoped(path) and permission is not None
            scopes = ["in", "out"] if scoped and role not in NATIONAL else ["in"]
            for scope in scopes:
                ids = world.ids(scope, role)
                url = _fill_api(path, ids, world, user, scope)
                kwargs = {"content_type": "application/json", "data": "{}"} if method in ("post", "put", "patch") else {}
                if path.endswith("/consents") and method == "get":
                    url += f"?person_id={ids['person_id']}"
                response = getattr(client, method)(url, **kwargs)
                checked += 1
                if role == Role.SUPERVISOR and path.endswith("/review") and response.status_code == 403:
                    continue  # national supervisors only (a scope rule)
                if needs_query and allowed and response.status_code == 422:
                    continue  # required query parameters, not sent here: the answer is about them
                _check(problems, method.upper(), url, response.status_code, allowed, scope, scoped)
    assert checked > 70
    assert problems == [], "\n".join(map(str, problems))
