"""Extract the policy catalog from the seed documents into reference data files.

Run once when a seed changes, review the diff, and commit the YAML files:

    .venv/bin/python -m retorno.policy.extract_seeds --seeds /work/shared/seeds \
        --out data/reference/mx/policy

- seed 002 (PEM 2014-2018 text) -> pem.yaml: objectives -> strategies -> lines of action, with
  their codes ("1.5.2") and full Spanish text. The declared totals (5 / 26 / 195 / 11) are taken
  from seed 004, which states them, so the tests can compare the extraction with the source.
- seed 004 (Mexico's 2018 report on the Global Compact) -> gcm.yaml: the 23 objectives with their
  Spanish titles and the "Objetivos a futuro" commitments Mexico listed under each one. The
  English titles are not in the seeds; they are the official short titles of A/RES/73/195.

Written by hand because the seeds are plain text with wrapped lines and missing spaces
("1.2.4Promover"), which no general-purpose parser handles. Standard library + PyYAML only.
"""

import argparse
import re
from pathlib import Path

import yaml

OBJECTIVE_RE = re.compile(r"^Objetivo (\d+)\.\s*(.+)$")
STRATEGY_RE = re.compile(r"^Estrategia (\d+\.\d+)\s+(.+)$")
LINE_RE = re.compile(r"^(\d+\.\d+\.\d+)\s*(\S.*)$")
DECLARED_RE = re.compile(
    r"(\d+) objetivos, (\d+) estrategias, (\d+) líneas de acción y (\d+) indicadores", re.IGNORECASE
)

# Official English short titles of the 23 objectives (UN General Assembly resolution 73/195).
GCM_TITLES_EN = {
    1: "Collect and utilize accurate and disaggregated data as a basis for evidence-based policies",
    2: "Minimize the adverse drivers and structural factors that compel people to leave their country of origin",
    3: "Provide accurate and timely information at all stages of migration",
    4: "Ensure that all migrants have proof of legal identity and adequate documentation",
    5: "Enhance availability and flexibility of pathways for regular migration",
    6: "Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work",
    7: "Address and reduce vulnerabilities in migration",
    8: "Save lives and establish coordinated international efforts on missing migrants",
    9: "Strengthen the transnational response to smuggling of migrants",
    10: "Prevent, combat and eradicate trafficking in persons in the context of international migration",
    11: "Manage borders in an integrated, secure and coordinated manner",
    12: "Strengthen certainty and predictability in migration procedures for appropriate screening, "
    "assessment and referral",
    13: "Use migration detention only as a measure of last resort and work towards alternatives",
    14: "Enhance consular protection, assistance and cooperation throughout the migration cycle",
    15: "Provide access to basic services for migrants",
    16: "Empower migrants and societies to realize full inclusion and social cohesion",
    17: "Eliminate all forms of discrimination and promote evidence-based public discourse to shape "
    "perceptions of migration",
    18: "Invest in skills development and facilitate mutual recognition of skills, qualifications and "
    "competences",
    19: "Create conditions for migrants and diasporas to fully contribute to sustainable development "
    "in all countries",
    20: "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
    21: "Cooperate in facilitating safe and dignified return and readmission, as well as sustainable "
    "reintegration",
    22: "Establish mechanisms for the portability of social security entitlements and earned benefits",
    23: "Strengthen international cooperation and global partnerships for safe, orderly and regular migration",
}


def _seed(seeds: Path, prefix: str) -> str:
    matches = sorted(seeds.glob(f"{prefix}_*.txt"))
    if not matches:
        raise SystemExit(f"No seed {prefix}_*.txt in {seeds}")
    return matches[0].read_text(encoding="utf-8")


def parse_pem(text: str) -> list[dict]:
    """Objectives -> strategies -> lines from the PEM text; wrapped lines are joined."""
    objectives: list[dict] = []
    current = None  # the dict whose text a wrapped continuation line extends
    field = ""
    previous_blank = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            previous_blank = True
            current = None if field != "description" else current
            continue
        if m := OBJECTIVE_RE.match(line):
            objectives.append({"code": m[1], "title": m[2].rstrip("."), "description": "", "strategies": []})
            current, field = objectives[-1], "description"
        elif m := STRATEGY_RE.match(line):
            strategy = {"code": m[1], "title": m[2].rstrip("."), "lines": []}
            objectives[-1]["strategies"].append(strategy)
            current, field = strategy, "title"
        elif line.lower().startswith("líneas de acción"):
            current = None
        elif (m := LINE_RE.match(line)) and objectives and objectives[-1]["strategies"]:
            item = {"code": m[1], "text": m[2].strip()}
            objectives[-1]["strategies"][-1]["lines"].append(item)
            current, field = item, "text"
        elif current is not None and field == "description" and not current["strategies"]:
            sep = "\n\n" if previous_blank and current["description"] else " "
            current["description"] = (current["description"] + sep + line).strip()
        elif current is not None and not previous_blank and field in ("title", "text"):
            current[field] = f"{current[field]} {line[0].lower() + line[1:]}".rstrip(".")
        previous_blank = False
    for objective in objectives:
        for strategy in objective["strategies"]:
            for item in strategy["lines"]:
                item["text"] = item["text"].rstrip(".") + "."
    return objectives


def parse_gcm(text: str) -> list[dict]:
    """The 23 objectives of seed 004 with their Spanish titles and 'Objetivos a futuro' items."""
    objectives: list[dict] = []
    in_future = False
    saw_numbered = False
    for raw in text.splitlines():
        line = raw.strip()
        m = OBJECTIVE_RE.match(line)
        if m and int(m[1]) == len(objectives) + 1:
            number = int(m[1])
            objectives.append(
                {
                    "number": number,
                    "title_es": m[2].rstrip("."),
                    "title_en": GCM_TITLES_EN[number],
                    "commitments_2018": [],
                }
            )
            in_future = saw_numbered = False
            continue
        if line.startswith("Retos y Conclusiones"):
            break
        if not objectives:
            continue
        if line.lstrip("- ").lower().startswith("objetivos a futuro"):
            in_future, saw_numbered = True, False
            continue
        if not in_future or not line:
            continue
        if n := re.match(r"^\d+\.\s+(.+)$", line):
            objectives[-1]["commitments_2018"].append(n[1].strip())
            saw_numbered = True
        elif (b := re.match(r"^-\s+(.+)$", line)) and not saw_numbered:
            objectives[-1]["commitments_2018"].append(b[1].strip())
        elif saw_numbered and line.startswith("-"):
            in_future = False  # descriptive bullets after the numbered commitments
    return objectives


def declared_totals(report_text: str) -> dict[str, int]:
    m = DECLARED_RE.search(report_text)
    if not m:
        raise SystemExit("Seed 004 no longer states the PEM totals")
    return dict(zip(("objectives", "strategies", "lines", "indicators"), map(int, m.groups()), strict=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=Path("/work/shared/seeds"))
    parser.add_argument("--out", type=Path, default=Path("data/reference/mx/policy"))
    args = parser.parse_args(argv)
    pem_text, report_text = _seed(args.seeds, "002"), _seed(args.seeds, "004")
    objectives = parse_pem(pem_text)
    pem = {
        "program": {
            "code": "PEM-2014-2018",
            "title": "Programa Especial de Migración 2014-2018",
            "source": "seed 002",
            "declared": declared_totals(report_text),
        },
        "objectives": objectives,
    }
    gcm = {"source": "seed 004 (Spanish titles, commitments); A/RES/73/195 (English titles)"}
    gcm["objectives"] = parse_gcm(report_text)
    args.out.mkdir(parents=True, exist_ok=True)
    dump = dict(allow_unicode=True, sort_keys=False, width=110)
    header = "# Generated by retorno/policy/extract_seeds.py from the seed documents; review diffs.\n"
    (args.out / "pem.yaml").write_text(header + yaml.safe_dump(pem, **dump), encoding="utf-8")
    (args.out / "gcm.yaml").write_text(header + yaml.safe_dump(gcm, **dump), encoding="utf-8")
    strategies = sum(len(o["strategies"]) for o in objectives)
    lines = sum(len(s["lines"]) for o in objectives for s in o["strategies"])
    print(f"PEM: {len(objectives)} objectives, {strategies} strategies, {lines} lines")
    print(f"GCM: {len(gcm['objectives'])} objectives")


if __name__ == "__main__":
    main()
