"""Fixtures shared by every test folder (retorno/*/tests and tests/)."""

import pytest

from retorno.testing.browser import chromium


@pytest.fixture
def browser():
    """Debian's chromium under Playwright, for tests marked `browser`."""
    with chromium() as launched:
        yield launched


@pytest.fixture(autouse=True)
def _fresh_reference_snapshot():
    """Each test builds its own reference rows (and ids): never reuse another test's snapshot."""
    from retorno.reference.cache import reference_cache_clear

    reference_cache_clear()
    yield
    reference_cache_clear()
