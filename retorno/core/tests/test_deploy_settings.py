"""Fail-safe settings: off-DEBUG needs a secret and hosts; the documented production settings
pass `retorno check --deploy` with no warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(args, env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check.
    dropped = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECRET_KEY_FILE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "retorno.cli", *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "retorno.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _documented_production_env() -> dict:
    env = {}
    for line in (ROOT / "deploy" / "retorno.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env["SECRET_KEY"] = "x9" * 30 + "prod-like-secret-for-the-check"
    env.pop("DATABASE_URL")  # the check needs no server; SQLite stands in
    env.pop("REDIS_URL")
    return env


def test_without_debug_the_app_refuses_to_start_without_a_secret_or_hosts():
    no_secret = _run(["check"], {"DEBUG": "0", "ALLOWED_HOSTS": "example.org"})
    assert no_secret.returncode != 0 and "SECRET_KEY is not set" in no_secret.stderr
    no_hosts = _run(["check"], {"DEBUG": "0", "SECRET_KEY": "s" * 60})
    assert no_hosts.returncode != 0 and "ALLOWED_HOSTS is not set" in no_hosts.stderr


def test_debug_is_off_unless_asked_for():
    result = _run(["shell", "-c", "from django.conf import settings; print(settings.DEBUG)"], {"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "x"})
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_the_documented_production_settings_pass_check_deploy():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _documented_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
