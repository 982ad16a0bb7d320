"""Factories for directory tests."""

import itertools

from retorno.directory.models import Service
from retorno.testing.factories import make_institution

_seq = itertools.count(1)


def make_service(institution=None, **kw) -> Service:
    n = next(_seq)
    defaults = dict(
        code=f"svc-{n}",
        name=f"Servicio {n}",
        institution=institution or make_institution(),
        response_days=5,
        outcome_days=30,
    )
    defaults.update(kw)
    return Service.objects.create(**defaults)
