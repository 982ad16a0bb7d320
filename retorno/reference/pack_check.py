"""Checks of a country pack (data/reference/<cc>/) before it is loaded: every problem at once,
each with its file and place, so that whoever writes a new pack fixes them in one pass.

The loaders (`retorno load_reference`) refuse a broken pack too, but stop at the first problem;
`retorno check_country <cc>` runs these checks instead and touches no database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from retorno.core.reference_loading import pack_file, read_csv
from retorno.identity.national_ids import SCHEMES

POINT_MODES = {"land", "air"}
INSTITUTION_ORDERS = {"federal", "state", "municipal", "civil", "international"}
ROLES = {"reception_officer", "supervisor", "child_protection", "caseworker", "analyst", "admin"}
REQUIRED_PROFILE_KEYS = ("code", "name", "national_id", "child_protection_agency", "migration_agency")


@dataclass(frozen=True)
class Problem:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class _Checker:
    def __init__(self, country_dir: Path):
        self.dir = country_dir
        self.problems: list[Problem] = []

    def add(self, file: str, message: str) -> None:
        self.problems.append(Problem(file, message))

    def rows(self, name: str, required: tuple[str, ...], *, optional: bool = False) -> list[dict]:
        path = pack_file(self.dir, name)
        if not path.exists():
            if not optional:
                self.add(name, "file missing")
            return []
        try:
            rows = read_csv(path)
        except (UnicodeDecodeError, OSError) as exc:
            self.add(name, f"cannot be read: {exc}")
            return []
        if rows:
            missing = [c for c in required if c not in rows[0]]
            if missing:
                self.add(name, f"missing column(s): {', '.join(missing)}")
                return []
        for code, n in Counter(r.get(required[0], "") for r in rows).items():
            if n > 1:
                self.add(name, f"code '{code}' appears {n} times")
        for i, row in enumerate(rows, start=1):
            if not (row.get(required[0]) or "").strip():
                self.add(name, f"row {i}: empty '{required[0]}'")
        return rows

    def yaml_file(self, name: str, *, optional: bool = False) -> Any:
        path = pack_file(self.dir, name)
        if not path.exists():
            if not optional:
                self.add(name, "file missing")
            return None
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            self.add(name, f"invalid YAML: {exc}")
            return None

    def codes_known(self, file: str, where: str, values: Any, known: set[str], what: str) -> None:
        if values in (None, ""):
            return
        if not isinstance(values, list):
            self.add(file, f"{where}: expected a list of {what} codes")
            return
        for value in values:
            if str(value) not in known:
                self.add(file, f"{where}: unknown {what} '{value}'")


def check_pack(country_dir: Path) -> list[Problem]:
    """Every problem found in the pack; [] when it is ready to load."""
    c = _Checker(country_dir)
    if not country_dir.is_dir():
        return [Problem(str(country_dir), "no such country pack")]
    profile = _check_profile(c)
    states = {r["code"]: r for r in c.rows("states.csv", ("code", "name"))}
    _check_divisions(c, profile, states)
    points = {r["code"]: r for r in c.rows("reception_points.csv", ("code", "name", "city", "state_code", "mode"))}
    for code, row in points.items():
        if row.get("state_code") not in states:
            c.add("reception_points.csv", f"point {code}: unknown state_code '{row.get('state_code')}'")
        if row.get("mode") not in POINT_MODES:
            c.add("reception_points.csv", f"point {code}: mode must be one of {sorted(POINT_MODES)}")
    documents = {r["code"] for r in c.rows("document_types.csv", ("code", "name"))}
    institutions = {r["code"]: r for r in c.rows("institutions.csv", ("code", "name"))}
    for code, row in institutions.items():
        if row.get("order") and row["order"] not in INSTITUTION_ORDERS:
            c.add("institutions.csv", f"institution {code}: order must be one of {sorted(INSTITUTION_ORDERS)}")
    needs = {r["code"] for r in c.rows("needs.csv", ("code", "name"))}
    flags = {r["code"] for r in c.rows("vulnerability_flags.csv", ("code", "name"))}
    municipalities = c.rows("municipalities.csv", ("code", "state_code", "name"), optional=True)
    for row in municipalities:
        if row.get("state_code") not in states:
            c.add("municipalities.csv", f"municipality {row['code']}: unknown state_code '{row.get('state_code')}'")
    services = _check_services(c, states, institutions, documents, needs, flags, municipalities)
    _check_demo(c, states, points, institutions, documents, services)
    _check_rules_and_questionnaires(c)
    _check_policy(c)
    _check_employment(c, institutions, points)
    return c.problems


def _check_employment(c: _Checker, institutions: dict, points: dict) -> None:
    """employment/programmes.yaml names known institutions and points; the catalogues parse."""
    from retorno.core.reference_loading import ReferenceDataError
    from retorno.employment import rules

    name = rules.PROGRAMMES_FILE
    data = c.yaml_file(name)
    if data is None:
        return
    try:
        programmes = rules.parse(data, name)
    except ReferenceDataError as exc:
        c.add(name, "; ".join(exc.messages))
        return
    for code in {programmes.job_bank_institution, programmes.support.approver_institution if programmes.support else None} - {None}:
        if code not in institutions:
            c.add(name, f"institution '{code}' is not in institutions.csv")
    if programmes.support and programmes.support.points:
        c.codes_known(name, "support.eligibility.points", sorted(programmes.support.points), set(points), "point")
    c.rows("employment/occupations.csv", ("code", "isco", "trade", "name_es", "name_en"))
    c.rows("employment/competency_standards.csv", ("code", "trade", "name_es", "name_en"))


def _check_profile(c: _Checker) -> dict:
    profile = c.yaml_file("country.yaml")
    if not isinstance(profile, dict):
        if profile is not None:
            c.add("country.yaml", "expected a mapping of settings")
        return {}
    for key in REQUIRED_PROFILE_KEYS:
        if not profile.get(key):
            c.add("country.yaml", f"'{key}' is required")
    scheme = (profile.get("national_id") or {}).get("scheme") if isinstance(profile.get("national_id"), dict) else None
    if profile.get("national_id") and scheme not in SCHEMES:
        c.add("country.yaml", f"national_id.scheme '{scheme}' is not one of {sorted(SCHEMES)}")
    for key in ("adult_age", "older_adult_age", "duplicate_arrival_hours"):
        value = profile.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            c.add("country.yaml", f"'{key}' must be a whole number >= 0")
    letters = profile.get("sex_letters")
    if letters is not None and [str(x).upper() for x in letters] not in (["H", "M"], ["M", "F"]):
        c.add("country.yaml", "sex_letters must be [H, M] (hombre, mujer) or [M, F] (masculino, femenino)")
    for key, label in (profile.get("labels") or {}).items():
        if not (isinstance(label, str) or (isinstance(label, dict) and label.get("es"))):
            c.add("country.yaml", f"labels.{key}: give a text or {{es: ..., en: ...}}")
    return profile


def _check_divisions(c: _Checker, profile: dict, states: dict) -> None:
    """A national id that encodes the department (CUI, DNI) must agree with the pack's divisions."""
    scheme = SCHEMES.get(str((profile.get("national_id") or {}).get("scheme", "")))
    table = getattr(scheme.module, "MUNICIPALITIES_PER_DEPARTMENT", None) if scheme else None
    if table is None:
        return
    domestic = {code for code, row in states.items() if str(row.get("is_foreign", "0")) not in ("1", "true", "yes")}
    expected = {f"{n:02d}" for n in range(1, len(table) + 1)}
    for code in sorted(domestic - expected):
        c.add("states.csv", f"division '{code}' is not a department code of the {scheme.name}")
    for code in sorted(expected - domestic):
        c.add("states.csv", f"department '{code}' of the {scheme.name} is missing")


def _check_services(c, states, institutions, documents, needs, flags, municipalities) -> set[str]:
    from retorno.referrals.sharing import FIELDS

    data = c.yaml_file("services.yaml", optional=True) or {}
    if not isinstance(data, dict):
        c.add("services.yaml", "expected a mapping with locations, programs and services")
        return set()
    municipality_names = {(m["state_code"], m["name"]) for m in municipalities}
    locations = set()
    for loc in data.get("locations") or []:
        key = loc.get("key", "?")
        locations.add(key)
        if loc.get("institution") not in institutions:
            c.add("services.yaml", f"location {key}: unknown institution '{loc.get('institution')}'")
        state = loc.get("state")
        if state and str(state) not in states:
            c.add("services.yaml", f"location {key}: unknown state '{state}'")
        if municipality_names and loc.get("municipality") and (str(state), loc["municipality"]) not in municipality_names:
            c.add("services.yaml", f"location {key}: municipality '{loc['municipality']}' not in municipalities.csv")
    programs = set()
    for program in data.get("programs") or []:
        programs.add(program.get("key"))
        if program.get("institution") not in institutions:
            c.add("services.yaml", f"program {program.get('key')}: unknown institution '{program.get('institution')}'")
    codes = Counter(s.get("code") for s in data.get("services") or [])
    for code, n in codes.items():
        if n > 1:
            c.add("services.yaml", f"service code '{code}' appears {n} times")
    for service in data.get("services") or []:
        where = f"service {service.get('code', '?')}"
        if service.get("institution") not in institutions:
            c.add("services.yaml", f"{where}: unknown institution '{service.get('institution')}'")
        if service.get("program") and service["program"] not in programs:
            c.add("services.yaml", f"{where}: unknown program '{service['program']}'")
        c.codes_known("services.yaml", where, service.get("locations"), locations, "location")
        c.codes_known("services.yaml", where, service.get("needs"), needs, "need")
        c.codes_known("services.yaml", where, service.get("flags_any"), flags, "flag")
        c.codes_known("services.yaml", where, service.get("flags_excluded"), flags, "flag")
        c.codes_known("services.yaml", where, service.get("documents_required"), documents, "document type")
        c.codes_known("services.yaml", where, service.get("states"), set(states), "state")
        c.codes_known("services.yaml", where, service.get("shared_fields"), set(FIELDS), "shared field")
    return set(codes)


def _check_demo(c, states, points, institutions, documents, services) -> None:
    demo = c.yaml_file("demo.yaml", optional=True)
    if not demo:
        return
    users = {}
    for user in demo.get("users") or []:
        users[user.get("username")] = user
        if user.get("role") not in ROLES:
            c.add("demo.yaml", f"user {user.get('username')}: unknown role '{user.get('role')}'")
        if user.get("point") and user["point"] not in points:
            c.add("demo.yaml", f"user {user.get('username')}: unknown point '{user['point']}'")
        if user.get("institution") and user["institution"] not in institutions:
            c.add("demo.yaml", f"user {user.get('username')}: unknown institution '{user['institution']}'")
    desk = demo.get("desk") or {}
    for key in ("point", "second_point"):
        if desk.get(key) and desk[key] not in points:
            c.add("demo.yaml", f"desk.{key}: unknown point '{desk[key]}'")
    for key in ("officer", "supervisor", "second_officer"):
        if desk.get(key) and desk[key] not in users:
            c.add("demo.yaml", f"desk.{key}: '{desk[key]}' is not one of the demo users")
    for i, person in enumerate(demo.get("people") or [], start=1):
        if len(person) != 10:
            c.add("demo.yaml", f"people row {i}: expected 10 values, got {len(person)}")
            continue
        for value in (person[5], person[6]):
            if str(value) not in states:
                c.add("demo.yaml", f"people row {i}: unknown division '{value}'")
        if person[7] not in points:
            c.add("demo.yaml", f"people row {i}: unknown point '{person[7]}'")
    for key, names in (demo.get("case_names") or {}).items():
        if key not in ("minor", "victim", "worker", "followed", "referred") or not (names or {}).get("given_names"):
            c.add("demo.yaml", f"case_names.{key}: a case of the diagnosis demo with given_names")
    for step in (demo.get("referrals") or {}).get("plan") or []:
        if step[0] not in services:
            c.add("demo.yaml", f"referrals: unknown service '{step[0]}'")
    for key, code in (demo.get("documents") or {}).items():
        if code and code not in documents:
            c.add("demo.yaml", f"documents.{key}: unknown document type '{code}'")
    stats = demo.get("statistics") or {}
    c.codes_known("demo.yaml", "statistics.points", list(stats.get("points") or {}), set(points), "point")
    c.codes_known("demo.yaml", "statistics.origins", [str(k) for k in stats.get("origins") or {}], set(states), "division")


def _check_rules_and_questionnaires(c: _Checker) -> None:
    from retorno.diagnosis import rules
    from retorno.diagnosis.questionnaire import DefinitionError, validate_definition
    from retorno.followup import config

    rules_path = c.dir / "vulnerability_rules.yaml"
    if rules_path.exists():
        try:
            rules.load_rules(rules_path)
        except rules.RulesError as exc:
            c.add("vulnerability_rules.yaml", str(exc))
    folder = c.dir / "questionnaires"
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        c.add("questionnaires/", "no questionnaire: the diagnosis and the follow-up survey need one each")
    codes = set()
    for path in files:
        name = f"questionnaires/{path.name}"
        definition = c.yaml_file(name)
        if definition is None:
            continue
        try:
            validate_definition(definition, name)
        except DefinitionError as exc:
            c.add(name, str(exc))
            continue
        codes.add(definition.get("code"))
    try:
        cfg = config.load(pack_file(c.dir, "followup.yaml"))
    except config.FollowupConfigError as exc:
        c.add("followup.yaml", str(exc))
    else:
        if files and cfg["survey"] not in codes:
            c.add("followup.yaml", f"survey questionnaire '{cfg['survey']}' is not in questionnaires/")


def _check_policy(c: _Checker) -> None:
    if not pack_file(c.dir, "policy/gcm.yaml").exists():
        c.add("policy/gcm.yaml", "missing (and no common/policy/gcm.yaml)")
    indicators = c.yaml_file("policy/indicators.yaml", optional=True)
    if indicators and not (c.dir / "policy" / "pem.yaml").exists():
        for row in indicators:
            if row.get("lines"):
                c.add("policy/indicators.yaml", f"indicator {row.get('code')}: names PEM lines but the pack has no pem.yaml")
