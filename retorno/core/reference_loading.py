"""Idempotent loading of reference data files (update-or-create on a natural key)."""

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models


class ReferenceDataError(ValidationError):
    """A reference file names an unknown code or misses a required column."""


# What is the same in every country (the Global Compact's 23 objectives) lives once, here; a pack
# may still hold its own copy, which wins.
COMMON_DIR_NAME = "common"


def pack_file(country_dir: Path, name: str) -> Path:
    """The pack's file `name`, or the common one when the pack has none (the pack's path is
    returned when neither exists, so the error names the file the pack should have)."""
    own = country_dir / name
    if own.exists():
        return own
    common = country_dir.parent / COMMON_DIR_NAME / name
    return common if common.exists() else own


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a CSV (header row) or a YAML list of mappings."""
    if not path.exists():
        raise ReferenceDataError(f"Reference file not found: {path}")
    if path.suffix in (".yaml", ".yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise ReferenceDataError(f"{path}: expected a list of records")
        return data
    return read_csv(path)


def read_csv(path: Path) -> list[dict[str, Any]]:
    """Rows of a CSV with a header row; leading lines starting with '#' are the file's notes
    (its sources, what could not be confirmed) and are skipped."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        return [dict(row) for row in csv.DictReader(lines)]


def deployment_file(name: str) -> Path:
    """`pack_file` of the deployment's own country pack (settings.RETORNO_COUNTRY)."""
    from django.conf import settings

    return pack_file(Path(settings.DATA_DIR) / "reference" / settings.RETORNO_COUNTRY, name)


def upsert(model: type[models.Model], key: str, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """update_or_create each row on `key`; return (created, updated)."""
    created = updated = 0
    for row in rows:
        if not row.get(key):
            raise ReferenceDataError(f"{model.__name__}: a row has no '{key}': {row}")
        values = {k: v for k, v in row.items() if k != key}
        _, was_created = model.objects.update_or_create(**{key: row[key]}, defaults=values)
        created += was_created
        updated += not was_created
    return created, updated
