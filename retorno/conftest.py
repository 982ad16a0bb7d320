import pytest


@pytest.fixture(autouse=True)
def _spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es"
