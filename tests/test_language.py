"""One language at a time: one date format per language on every page, reference data in the
page's language, plurals that agree."""

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from retorno.accounts.models import Role
from retorno.jobs.models import Job
from retorno.reference.models import State
from retorno.testing.factories import make_user

ROOT = Path(__file__).resolve().parent.parent / "retorno"
# Patterns a template may give the date filter: the language's formats, or a machine value for
# an <input type="month"> ("Y-m") and a month heading ("F Y").
ALLOWED = {"SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "F Y", "Y-m"}


def test_templates_write_dates_only_in_the_formats_of_the_language():
    found = {}
    for path in ROOT.rglob("templates/**/*.html"):
        for pattern in re.findall(r"\|date:[\"']([^\"']*)[\"']", path.read_text(encoding="utf-8")):
            if pattern not in ALLOWED:
                found.setdefault(pattern, []).append(str(path.relative_to(ROOT)))
    assert found == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("es", "05/11/2026 14:30"), ("en", "11/05/2026 14:30")])
def test_a_page_shows_dates_in_its_language(client, language, shown):
    analyst = make_user(Role.ANALYST)
    at = timezone.make_aware(datetime(2026, 11, 5, 14, 30))
    Job.objects.filter(pk=Job.objects.create(kind="statistics_refresh", requested_by=analyst).pk).update(
        created_at=at
    )
    client.force_login(analyst)
    client.cookies["django_language"] = language
    assert shown in client.get("/jobs/").content.decode()


@pytest.mark.django_db
def test_reference_names_follow_the_language():
    call_command("load_reference", stdout=io.StringIO())  # the country's files, as `make run` loads them
    abroad = State.objects.get(code="NE")
    with translation.override("en"):
        assert str(abroad) == "Born abroad" and str(State.objects.get(code="JC")) == "Jalisco"
    with translation.override("es"):
        assert str(abroad) == "Nacido en el extranjero"
