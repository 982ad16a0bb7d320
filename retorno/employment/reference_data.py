"""Loads the job bank's catalogues (employment/occupations.csv, employment/competency_standards.csv)
and checks the programmes file (employment/programmes.yaml) against the directory."""

from collections.abc import Callable
from pathlib import Path

from retorno.core.reference_loading import ReferenceDataError, pack_file, read_csv, upsert
from retorno.directory.models import Institution
from retorno.employment import rules
from retorno.employment.models import CompetencyStandard, Occupation

TRADES = {
    "construction",
    "agriculture",
    "manufacturing",
    "hospitality",
    "cleaning",
    "transport",
    "care",
    "commerce",
    "mechanics",
    "other",
}


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict]:
    rows = read_csv(path)
    for number, row in enumerate(rows, start=2):
        missing = [c for c in columns if not (row.get(c) or "").strip()]
        if missing:
            raise ReferenceDataError(f"{path}: row {number} has no {', '.join(missing)}")
        if row["trade"] not in TRADES:
            raise ReferenceDataError(
                f"{path}: row {number}: unknown trade {row['trade']!r} (one of {sorted(TRADES)})"
            )
    return [{k: (row.get(k) or "").strip() for k in columns} for row in rows]


def load(country_dir: Path, log: Callable[[str], None]) -> None:
    programmes = rules.load(pack_file(country_dir, rules.PROGRAMMES_FILE))
    institutions = [programmes.job_bank_institution]
    if programmes.support:
        institutions.append(programmes.support.approver_institution)
    for code in institutions:
        if not Institution.objects.filter(code=code).exists():
            raise ReferenceDataError(
                f"{rules.PROGRAMMES_FILE}: institution {code!r} is not in institutions.csv"
            )
    occupations = _rows(
        pack_file(country_dir, "employment/occupations.csv"), ("code", "isco", "trade", "name_es", "name_en")
    )
    oc, ou = upsert(
        Occupation,
        "code",
        [
            {
                "code": r["code"],
                "isco": r["isco"],
                "trade": r["trade"],
                "name": r["name_es"],
                "name_en": r["name_en"],
            }
            for r in occupations
        ],
    )
    standards = _rows(
        pack_file(country_dir, "employment/competency_standards.csv"), ("code", "trade", "name_es", "name_en")
    )
    sc, su = upsert(
        CompetencyStandard,
        "code",
        [
            {"code": r["code"], "trade": r["trade"], "name": r["name_es"], "name_en": r["name_en"]}
            for r in standards
        ],
    )
    rules.programmes.cache_clear()
    log(
        f"  employment: {oc + ou} occupations, {sc + su} competency standards; job bank {programmes.job_bank_institution}"
    )
