"""Load the policy catalog from data/reference/<country>/policy/ (idempotent).

Files: pem.yaml (objectives -> strategies -> lines), gcm.yaml (23 Compact objectives),
pem_gcm_map.yaml (editable line -> objectives mapping) and indicators.yaml. A country without a
policy/ folder loads nothing. Unknown codes in a mapping stop the load with a clear message.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from retorno.core.reference_loading import ReferenceDataError, pack_file
from retorno.policy.models import GcmObjective, Indicator, PemLine, PemObjective, PemStrategy


def _read(path: Path) -> Any:
    if not path.exists():
        raise ReferenceDataError(f"Reference file not found: {path}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path.name}: invalid YAML: {exc}") from exc


def _gcm_numbers(values: Any, where: str, known: dict[int, GcmObjective]) -> list[GcmObjective]:
    found = []
    for value in values or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number not in known:
            raise ReferenceDataError(f"{where}: unknown Global Compact objective '{value}'")
        found.append(known[number])
    return found


def _pem_lines(codes: Any, where: str, known: dict[str, PemLine]) -> list[PemLine]:
    found = []
    for code in codes or []:
        if str(code) not in known:
            raise ReferenceDataError(f"{where}: unknown PEM line of action '{code}'")
        found.append(known[str(code)])
    return found


def load_pem(path: Path) -> tuple[int, int, int]:
    data = _read(path) or {}
    counts = [0, 0, 0]
    seen_lines = set()
    for o_pos, obj in enumerate(data.get("objectives") or [], start=1):
        objective, _ = PemObjective.objects.update_or_create(
            code=str(obj["code"]),
            defaults={"title": obj["title"], "description": obj.get("description", ""), "position": o_pos},
        )
        counts[0] += 1
        for s_pos, strat in enumerate(obj.get("strategies") or [], start=1):
            strategy, _ = PemStrategy.objects.update_or_create(
                code=str(strat["code"]),
                defaults={"objective": objective, "title": strat["title"], "position": o_pos * 100 + s_pos},
            )
            counts[1] += 1
            for l_pos, item in enumerate(strat.get("lines") or [], start=1):
                code = str(item["code"])
                if not code.startswith(strategy.code + "."):
                    raise ReferenceDataError(f"{path.name}: line {code} is not in strategy {strategy.code}")
                if code in seen_lines:
                    raise ReferenceDataError(f"{path.name}: line {code} appears twice")
                seen_lines.add(code)
                PemLine.objects.update_or_create(
                    code=code,
                    defaults={
                        "strategy": strategy,
                        "text": item["text"],
                        "position": (o_pos * 100 + s_pos) * 100 + l_pos,
                    },
                )
                counts[2] += 1
    return counts[0], counts[1], counts[2]


def load_gcm(path: Path) -> int:
    data = _read(path) or {}
    n = 0
    for obj in data.get("objectives") or []:
        GcmObjective.objects.update_or_create(
            number=int(obj["number"]),
            defaults={
                "title_es": obj["title_es"],
                "title_en": obj["title_en"],
                "commitments_2018": obj.get("commitments_2018") or [],
            },
        )
        n += 1
    return n


def load_mapping(path: Path) -> int:
    """Replace every line's Compact objectives with the file's mapping (the file is the truth)."""
    rows = _read(path) or []
    if not isinstance(rows, list):
        raise ReferenceDataError(f"{path.name}: expected a list of {{line, gcm}} records")
    lines = {line.code: line for line in PemLine.objects.all()}
    gcm = {g.number: g for g in GcmObjective.objects.all()}
    wanted: dict[str, list[GcmObjective]] = {}
    for row in rows:
        code = str(row.get("line", ""))
        _pem_lines([code], path.name, lines)
        wanted.setdefault(code, []).extend(_gcm_numbers(row.get("gcm"), f"{path.name} (line {code})", gcm))
    # Diff against the stored links in two bulk statements instead of one .set() per line.
    through = PemLine.gcm_objectives.through
    want = {(lines[code].pk, g.pk) for code, objs in wanted.items() for g in objs}
    have = set(through.objects.values_list("pemline_id", "gcmobjective_id"))
    for line_id, gcm_id in have - want:
        through.objects.filter(pemline_id=line_id, gcmobjective_id=gcm_id).delete()
    through.objects.bulk_create([through(pemline_id=a, gcmobjective_id=b) for a, b in want - have])
    return len(want)


def _scale(value: Any, where: str) -> float:
    try:
        scale = float(value)
    except (TypeError, ValueError):
        scale = 0.0
    if scale <= 0:
        raise ReferenceDataError(f"{where}: scale must be a positive number, not '{value}'")
    return scale


def load_indicators(path: Path) -> int:
    rows = _read(path) or []
    lines = {line.code: line for line in PemLine.objects.all()}
    gcm = {g.number: g for g in GcmObjective.objects.all()}
    units, directions = set(Indicator.Unit.values), set(Indicator.Direction.values)
    for pos, row in enumerate(rows, start=1):
        code = row.get("code")
        where = f"{path.name} ({code})"
        if not code or not row.get("query"):
            raise ReferenceDataError(f"{path.name}: indicator #{pos} needs a code and a query")
        if row.get("unit") not in units:
            raise ReferenceDataError(f"{where}: unknown unit '{row.get('unit')}'")
        if row.get("direction", "increase") not in directions:
            raise ReferenceDataError(f"{where}: unknown direction '{row.get('direction')}'")
        target = row.get("target") or {}
        indicator, _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name_es": row["name_es"],
                "name_en": row.get("name_en") or row["name_es"],
                "query": row["query"],
                "unit": row["unit"],
                "direction": row.get("direction", "increase"),
                "scale": _scale(row.get("scale", 1), where),
                "target_value": target.get("value"),
                "target_year": target.get("year"),
                "position": pos,
            },
        )
        indicator.pem_lines.set(_pem_lines(row.get("lines"), where, lines))
        indicator.gcm_objectives.set(_gcm_numbers(row.get("gcm"), where, gcm))
    return len(rows)


def load(country_dir: Path, log: Callable[[str], None]) -> None:
    """The Global Compact everywhere (common/policy/gcm.yaml unless the pack has its own); the
    PEM and its mapping only where the pack has a national plan (Mexico)."""
    folder = country_dir / "policy"
    log(f"  Global Compact: {load_gcm(pack_file(country_dir, 'policy/gcm.yaml'))} objectives")
    if (folder / "pem.yaml").exists():
        objectives, strategies, lines = load_pem(folder / "pem.yaml")
        log(f"  PEM: {objectives} objectives, {strategies} strategies, {lines} lines of action")
        log(f"  PEM -> Compact links: {load_mapping(folder / 'pem_gcm_map.yaml')}")
    else:
        log("  national plan: none in this country pack (Global Compact only)")
    if (folder / "indicators.yaml").exists():
        log(f"  indicators: {load_indicators(folder / 'indicators.yaml')}")
