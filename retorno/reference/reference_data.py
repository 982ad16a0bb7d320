from collections.abc import Callable
from pathlib import Path

from retorno.core.reference_loading import ReferenceDataError, read_rows, upsert
from retorno.reference.models import DocumentType, ReceptionPoint, State


def load(country_dir: Path, log: Callable[[str], None]) -> None:
    states = read_rows(country_dir / "states.csv")
    for row in states:
        row["is_foreign"] = str(row.get("is_foreign", "")).lower() in ("1", "true", "yes")
    created, updated = upsert(State, "code", states)
    log(f"  states: {created} created, {updated} updated")

    points = read_rows(country_dir / "reception_points.csv")
    by_code = {s.code: s for s in State.objects.all()}
    for row in points:
        state_code = row.pop("state_code")
        if state_code not in by_code:
            raise ReferenceDataError(
                f"reception_points.csv: unknown state code '{state_code}' for {row['code']}"
            )
        row["state"] = by_code[state_code]
        row["active"] = str(row.get("active", "1")).lower() in ("1", "true", "yes")
    created, updated = upsert(ReceptionPoint, "code", points)
    log(f"  reception points: {created} created, {updated} updated")

    docs = read_rows(country_dir / "document_types.csv")
    for row in docs:
        row["is_identity"] = str(row.get("is_identity", "")).lower() in ("1", "true", "yes")
    created, updated = upsert(DocumentType, "code", docs)
    log(f"  document types: {created} created, {updated} updated")
