"""Settings for the test suite: production settings (DEBUG off) with the test-only differences below.

pytest-django imports this module (pyproject.toml) before any test runs, so the environment
defaults set here stand in for what `make test` would otherwise have to export.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "y" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from retorno.settings import *  # noqa: E402,F403

# A fast hasher: hashing passwords with PBKDF2 in every factory call would dominate the suite.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests that are about the second factor turn it on themselves (accounts/tests/test_mfa.py);
# elsewhere a supervisor logged in by force_login works without a device.
RETORNO_MFA_REQUIRED_ROLES = []  # noqa: F405
# Tasks run in the test's own transaction, at once, so a test sees their result.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The transfer signing key of a test run lives in the temp dir, not in var/ (a test that needs a
# given instance's key overrides these; retorno/manifests/tests/test_transfers.py).
RETORNO_SIGNING_KEY_FILE = os.path.join(  # noqa: F405
    os.environ.get("TMPDIR", "/tmp"), f"retorno-test-signing-{os.getpid()}.jwk"
)
