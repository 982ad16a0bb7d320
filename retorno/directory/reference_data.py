from collections.abc import Callable
from pathlib import Path

from retorno.core.reference_loading import read_rows, upsert
from retorno.directory.models import Institution


def load(country_dir: Path, log: Callable[[str], None]) -> None:
    created, updated = upsert(Institution, "code", read_rows(country_dir / "institutions.csv"))
    log(f"  institutions: {created} created, {updated} updated")
