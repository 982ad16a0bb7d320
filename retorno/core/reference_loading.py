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


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a CSV (header row) or a YAML list of mappings."""
    if not path.exists():
        raise ReferenceDataError(f"Reference file not found: {path}")
    if path.suffix in (".yaml", ".yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise ReferenceDataError(f"{path}: expected a list of records")
        return data
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh)]


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
