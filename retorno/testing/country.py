"""Run a test as another country's deployment: switch RETORNO_COUNTRY, forget what the previous
pack left in process caches, load the pack's reference data into the test database."""

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.test import override_settings

from retorno.diagnosis import rules
from retorno.directory import catalogs
from retorno.followup import config as followup_config
from retorno.identity import names, scoring
from retorno.linkage import pipeline
from retorno.reference import cache as reference_cache
from retorno.reference.country import country_profile
from retorno.reference.demo_pack import demo_pack


def country_caches_clear() -> None:
    """Forget every cache that holds data of the deployment's country pack."""
    country_profile.cache_clear()
    demo_pack.cache_clear()
    scoring.clean_curp.cache_clear()
    scoring._given.cache_clear()
    scoring.saved_model.cache_clear()  # a country may have its own model (data/linkage/<cc>/)
    scoring.thresholds.cache_clear()
    names._NICKNAMES = None
    catalogs._read.cache_clear()
    catalogs._labels.cache_clear()
    catalogs._states.cache_clear()
    rules._cache.clear()
    followup_config._cache.clear()
    reference_cache.reference_cache_clear()
    pipeline.valid_states.cache_clear()
    from retorno.employment import rules as employment_rules
    from retorno.grievances.config import grievances_config
    from retorno.portal.config import messaging
    from retorno.rights.config import rights_config

    for cached in (employment_rules.programmes, messaging, rights_config, grievances_config):
        cached.cache_clear()


@contextmanager
def as_country(code: str, *, demo: bool = False) -> Iterator[str]:
    """Within the block the deployment is country `code`, with its reference data (and demo
    cases) loaded in the current test database."""
    with override_settings(RETORNO_COUNTRY=code):
        country_caches_clear()
        try:
            call_command("load_reference", stdout=io.StringIO())
            if demo:
                call_command("load_demo", stdout=io.StringIO())
            yield code
        finally:
            country_caches_clear()
    country_caches_clear()
