"""Operations: a production install carries no test tools, the systemd units are valid, the
operator commands exist."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-r")):
            names.add(line.split("==")[0].lower().replace("_", "-"))
    return names


def test_the_runtime_lock_has_no_test_tools_and_the_dev_lock_adds_them():
    runtime = _pins(ROOT / "requirements.lock")
    dev = _pins(ROOT / "requirements-dev.lock")
    tools = {"pytest", "pytest-django", "pytest-xdist", "playwright", "faker", "ruff", "hypothesis", "schemathesis"}
    assert not runtime & tools
    assert {"pytest", "playwright", "ruff", "schemathesis"} <= dev
    assert {"django", "django-axes", "django-otp", "django-csp", "granian"} <= runtime


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
@pytest.mark.parametrize("unit", ["retorno-web.service", "retorno-worker.service"])
def test_systemd_units_are_valid(unit, tmp_path):
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    assert "KillMode=control-group" in text  # no orphaned worker survives its master
    # The units point at /opt/retorno; check them against this checkout's executables.
    local = tmp_path / unit
    local.write_text(text.replace("/opt/retorno/.venv/bin/", str(ROOT / ".venv" / "bin") + "/"))
    result = subprocess.run(["systemd-analyze", "verify", str(local)], capture_output=True, text=True)
    problems = [line for line in (result.stdout + result.stderr).splitlines() if unit in line]
    assert problems == [], problems


@pytest.mark.django_db
def test_unlock_command_lifts_an_account_lockout():
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username="ana", ip_address="203.0.113.1", failures_since_start=9, get_data="", post_data="", user_agent="")
    call_command("unlock", user="ana", verbosity=0)
    assert not AccessAttempt.objects.filter(username="ana").exists()
