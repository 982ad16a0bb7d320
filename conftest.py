"""Fixtures shared by every test folder (retorno/*/tests and tests/)."""

import pytest

from retorno.testing.browser import chromium


@pytest.fixture
def browser():
    """Debian's chromium under Playwright, for tests marked `browser`."""
    with chromium() as launched:
        yield launched
