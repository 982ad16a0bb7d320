"""Factories for policy tests, building on retorno.testing.factories."""

import itertools
from pathlib import Path

from django.conf import settings

from retorno.accounts.models import Role
from retorno.policy import reference_data
from retorno.policy.models import GcmObjective, Indicator, PemLine, ProgressReport
from retorno.policy.periods import parse_period
from retorno.statistics import registry
from retorno.testing.factories import make_institution, make_user

_seq = itertools.count(1)
COUNTRY_DIR = Path(settings.DATA_DIR) / "reference" / "mx"


def load_catalog() -> None:
    """Load the real PEM / Compact catalog and indicators from data/reference/mx/policy."""
    reference_data.load(COUNTRY_DIR, lambda _msg: None)


def make_caseworker(institution=None, **kw):
    return make_user(Role.CASEWORKER, institution=institution or make_institution(), **kw)


def make_report(
    *,
    line: str = "4.4.3",
    institution=None,
    period: str = "2026-S1",
    status: str = "in_progress",
    narrative: str = "Avance de prueba",
    user=None,
    reviewed: bool = False,
    **kw,
) -> ProgressReport:
    institution = institution or make_institution()
    user = user or make_user(Role.ADMIN)
    p = parse_period(period)
    report = ProgressReport.objects.create(
        line=PemLine.objects.get(code=line),
        institution=institution,
        order=institution.order,
        period=p.code,
        period_start=p.start,
        period_end=p.end,
        status=status,
        narrative=narrative,
        created_by=user,
        **kw,
    )
    if reviewed:
        from django.utils import timezone

        report.reviewed_at = timezone.now()
        report.reviewed_by = user
        report.save()
    return report


def make_indicator(*, query: str, code: str | None = None, gcm=(21,), lines=("4.6.1",), **kw) -> Indicator:
    indicator = Indicator.objects.create(
        code=code or f"T-{next(_seq)}",
        name_es=kw.pop("name_es", "Indicador de prueba"),
        name_en=kw.pop("name_en", "Test indicator"),
        query=query,
        unit=kw.pop("unit", "percent"),
        direction=kw.pop("direction", "increase"),
        **kw,
    )
    indicator.gcm_objectives.set(GcmObjective.objects.filter(number__in=gcm))
    indicator.pem_lines.set(PemLine.objects.filter(code__in=lines))
    return indicator


class registered_query:  # noqa: N801 - used as a context manager like a function
    """Register a test query in the statistics registry for the duration of a `with` block."""

    def __init__(self, name: str, func):
        self.name, self.func = name, func

    def __enter__(self):
        registry.available()  # import the real query modules first
        registry.indicator(self.name, unit="test", description="test query")(self.func)
        return self

    def __exit__(self, *exc):
        registry._REGISTRY.pop(self.name, None)
