"""Fixtures shared by every test folder (retorno/*/tests and tests/)."""

import pytest

from retorno.testing.browser import chromium


@pytest.fixture
def browser():
    """Debian's chromium under Playwright, for tests marked `browser`."""
    with chromium() as launched:
        yield launched


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and lockouts count in the cache: one test's requests never count in another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_reference_snapshot():
    """Each test builds its own reference rows (and ids): never reuse another test's snapshot."""
    from retorno.reference.cache import reference_cache_clear

    reference_cache_clear()
    yield
    reference_cache_clear()


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    )


@pytest.fixture(autouse=True)
def _audit_trail_flush(request):
    """Tests that commit (live server, transactional_db) end with a flush of every table; the
    audit tables refuse that (audit.integrity), so this lets the test database's teardown, and only
    it, empty them. Set up after pytest-django's database fixture so that it is torn down first."""
    if not _transactional(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    from retorno.audit.integrity import audit_maintenance_allow_flush, audit_maintenance_end

    audit_maintenance_end()
    yield
    audit_maintenance_allow_flush()
