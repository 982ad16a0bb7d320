"""Schemathesis over every operation of the OpenAPI document, as an officer, a caseworker and
an analyst: no input gives a server error, every answer matches the documented schema and
status codes.

Bounded (a few examples per operation, derandomized so CI is reproducible) and in-process through
the WSGI application, on a small two-point world (retorno.testing.world) committed once for the
module. Half of the generated path ids are replaced by ids of real records the role reaches, so
the 200 answers are checked against their schemas too, not only the 404s.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from retorno.accounts.models import ApiToken, Role
from retorno.testing.world import world_build

ROLES = [Role.RECEPTION_OFFICER, Role.CASEWORKER, Role.ANALYST]
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def committed_world(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    from retorno.audit.integrity import audit_maintenance_allow_flush, audit_maintenance_end

    with django_db_blocker.unblock():
        world = world_build()
        # A bulk client's limit: the run sends hundreds of calls a minute per token.
        tokens = {role: ApiToken.issue(world.user(role), "schemathesis", rate_per_minute=100_000)[1] for role in ROLES}
        yield world, tokens
        audit_maintenance_allow_flush()
        call_command("flush", interactive=False, verbosity=0)
        audit_maintenance_end()


@pytest.fixture
def wsgi_app():
    """The WSGI application, called directly: its request signals would close the test's database
    connection in the middle of its transaction (close_old_connections), so, as django.test.Client
    does, they are kept from doing so for the test."""
    from django.core import signals
    from django.db import close_old_connections

    from retorno.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema():
    from retorno.api import api

    return schemathesis.openapi.from_dict(api.get_openapi_schema())


schema = _schema()


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    # CI: 8 per operation and role. RETORNO_SCHEMATHESIS_EXAMPLES=100 for a longer hunt.
    max_examples=int(os.environ.get("RETORNO_SCHEMATHESIS_EXAMPLES", "8")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_errs_and_answers_as_documented(case, role, committed_world, db, wsgi_app):
    world, tokens = committed_world
    ids = world.ids("in", role)
    ids = {**ids, "code": ids["service_code"]} if "/directory/" in case.path else ids
    for name, value in list((case.path_parameters or {}).items()):
        if name in ids and len(str(value)) % 2 == 0:
            case.path_parameters[name] = ids[name]
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {tokens[role]}"}
    response = case.call(app=wsgi_app)
    case.validate_response(response, checks=CHECKS)
