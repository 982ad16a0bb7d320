import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Test users are created by the dozen; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_label_caches():
    # State names and rendered reasons are cached per process; each test builds its own states.
    from retorno.directory import catalogs, eligibility

    catalogs._states.cache_clear()
    eligibility._render.cache_clear()
    yield
