"""Per-app hooks found by module name, so each domain app plugs in without editing shared code.

An app may define, for example:
  retorno/<app>/reference_data.py  with  load(country_dir: Path, log: Callable[[str], None]) -> None
  retorno/<app>/demo.py            with  load(log: Callable[[str], None]) -> None
They are called in the order of settings.RETORNO_APPS.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.conf import settings


def app_modules(module_name: str) -> list[ModuleType]:
    """Return the `<app>.<module_name>` modules that exist, in RETORNO_APPS order."""
    found = []
    for app in settings.RETORNO_APPS:
        dotted = f"{app}.{module_name}"
        if find_spec(dotted) is not None:
            found.append(import_module(dotted))
    return found
