"""Loading the directory's reference data: institutions.csv and the service catalog services.yaml.

Idempotent: institutions update-or-create on `code`; locations, programs and services on an
HSDS id derived from their key (uuid5), so a second run updates the same rows.
"""

import uuid
from collections.abc import Callable
from pathlib import Path

import yaml

from retorno.core.reference_loading import ReferenceDataError, read_rows, upsert
from retorno.directory import catalogs
from retorno.directory.models import Institution, Location, Program, Schedule, Service, ServiceAtLocation
from retorno.reference.models import State

# Fixed namespace: the same key yields the same HSDS id in every installation.
NAMESPACE = uuid.UUID("6f1c3b9e-5d0a-4c53-9a55-2f3e8f7a4b10")

SERVICE_FIELDS = [
    "name",
    "name_en",
    "description",
    "benefit",
    "application_process",
    "fees_description",
    "status",
    "url",
    "email",
    "phone",
    "capacity",
    "is_health",
    "response_days",
    "outcome_days",
    "shared_fields",
    "min_age",
    "max_age",
    "sexes",
    "states",
    "needs",
    "flags_any",
    "flags_excluded",
    "documents_required",
    "eligibility_description",
]
LIST_FIELDS = [
    "shared_fields",
    "sexes",
    "states",
    "needs",
    "flags_any",
    "flags_excluded",
    "documents_required",
]


def stable_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


def _institution(code: str, where: str, by_code: dict[str, Institution]) -> Institution:
    if code not in by_code:
        raise ReferenceDataError(f"services.yaml: unknown institution '{code}' in {where}")
    return by_code[code]


def _check_codes(where: str, field: str, values: list, known: set[str]) -> None:
    if not isinstance(values, list):
        raise ReferenceDataError(f"services.yaml: {where}: '{field}' must be a list")
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ReferenceDataError(
            f"services.yaml: {where}: unknown {field} code(s): {', '.join(map(str, unknown))}"
        )


def load_catalog(path: Path, log: Callable[[str], None]) -> None:
    from retorno.referrals.sharing import FIELDS

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    institutions = {i.code: i for i in Institution.objects.all()}
    states = {s.code: s for s in State.objects.all()}

    locations: dict[str, Location] = {}
    for row in data.get("locations", []):
        key = row["key"]
        state_code = row.get("state")
        if state_code and state_code not in states:
            raise ReferenceDataError(f"services.yaml: location {key}: unknown state '{state_code}'")
        values = {
            "institution": _institution(row["institution"], f"location {key}", institutions)
            if row.get("institution")
            else None,
            "name": row["name"],
            "location_type": row.get("location_type", Location.Type.PHYSICAL),
            "description": row.get("description", ""),
            "address": row.get("address", ""),
            "city": row.get("city", ""),
            "municipality": row.get("municipality", ""),
            "state": states.get(state_code) if state_code else None,
            "postal_code": row.get("postal_code", ""),
            "phone": row.get("phone", "") or "",
            "url": row.get("url", ""),
        }
        locations[key], _ = Location.objects.update_or_create(
            hsds_id=stable_id("location", key), defaults=values
        )

    programs: dict[str, Program] = {}
    for row in data.get("programs", []):
        key = row["key"]
        programs[key], _ = Program.objects.update_or_create(
            hsds_id=stable_id("program", key),
            defaults={
                "institution": _institution(row["institution"], f"program {key}", institutions),
                "name": row["name"],
                "description": row.get("description", ""),
            },
        )

    known = {
        "needs": set(catalogs.need_codes()),
        "flags_any": set(catalogs.flag_codes()),
        "flags_excluded": set(catalogs.flag_codes()),
        "documents_required": set(catalogs.document_codes()),
        "states": set(states),
        "sexes": {"H", "M"},
        "shared_fields": set(FIELDS),
    }
    count = 0
    for row in data.get("services", []):
        code = row["code"]
        where = f"service {code}"
        values = {f: row[f] for f in SERVICE_FIELDS if f in row}
        for f in LIST_FIELDS:
            values.setdefault(f, [])
            _check_codes(where, f, values[f], known[f])
        values["institution"] = _institution(row["institution"], where, institutions)
        if row.get("program"):
            if row["program"] not in programs:
                raise ReferenceDataError(f"services.yaml: {where}: unknown program '{row['program']}'")
            values["program"] = programs[row["program"]]
        service, _ = Service.objects.update_or_create(
            hsds_id=stable_id("service", code), defaults={"code": code, **values}
        )
        service.full_clean()
        wanted = set()
        for loc_key in row.get("locations", []):
            if loc_key not in locations:
                raise ReferenceDataError(f"services.yaml: {where}: unknown location '{loc_key}'")
            ServiceAtLocation.objects.update_or_create(
                hsds_id=stable_id("service_at_location", f"{code}@{loc_key}"),
                defaults={"service": service, "location": locations[loc_key]},
            )
            wanted.add(locations[loc_key].pk)
        service.service_locations.exclude(location_id__in=wanted).delete()
        for n, sched in enumerate(row.get("schedules", [])):
            Schedule.objects.update_or_create(
                hsds_id=stable_id("schedule", f"{code}#{n}"),
                defaults={
                    "service": service,
                    "byday": sched.get("byday", ""),
                    "opens_at": sched.get("opens_at") or None,
                    "closes_at": sched.get("closes_at") or None,
                    "description": sched.get("description", ""),
                },
            )
        count += 1
    log(f"  service catalog: {len(locations)} locations, {len(programs)} programs, {count} services")


def load(country_dir: Path, log: Callable[[str], None]) -> None:
    created, updated = upsert(Institution, "code", read_rows(country_dir / "institutions.csv"))
    log(f"  institutions: {created} created, {updated} updated")
    catalog = country_dir / "services.yaml"
    if catalog.exists():
        load_catalog(catalog, log)
