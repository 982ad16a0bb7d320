"""Import and export of the service directory as an Open Referral HSDS 3.0 CSV datapackage.

Layout: that of the specification's `examples/csv` folder - datapackage.json plus one CSV per
table (organizations.csv, programs.csv, services.csv, locations.csv, addresses.csv, phones.csv,
service_at_location.csv, schedules.csv, required_documents.csv, organization_identifiers.csv,
taxonomies.csv, taxonomy_terms.csv, attributes.csv).

What HSDS cannot say natively travels in HSDS's own extension mechanism: `attributes.csv` rows
linking a service or organization to a term of the "retorno" taxonomy (taxonomy_terms.csv), with
the value in `value`. Term codes: `need:<code>`, `flag:<code>`, `state:<code>`, `sex:<H|M>`
(link_type says the role: eligibility_need, eligibility_flag_any, eligibility_flag_excluded,
eligibility_state, eligibility_sex) and `retorno:<setting>` (service_code, response_days,
outcome_days, capacity, is_health, shared_field, benefit, name_en; institution_order,
institution_active, institution_phone). The institution's code is an organization identifier
with scheme "retorno". Required documents are required_documents.csv rows named by document type.
So an export re-imported gives the same directory (see tests/test_hsds.py).

Validation: the CSVs are checked against the specification's own tabular schema (bundled in
hsds_schema/datapackage.json) - required values, uuid/number/date/time/email formats and enums -
with the stdlib csv module and one error per cell, "services.csv, fila 3, status: ...". We do not
use the `frictionless` library: it brings a large dependency tree for checks that fit in a page,
and its messages are English-only. Broken references between tables are warnings (the
specification's own example has some) and the dangling link is dropped; everything else that is
wrong is an error and nothing is imported.
"""

import csv
import io
import json
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from retorno.audit.models import AuditEntry
from retorno.audit.services import audit_record
from retorno.core.exports import SafeDictWriter, cell_unescape
from retorno.directory import catalogs
from retorno.directory.models import Institution, Location, Program, Schedule, Service, ServiceAtLocation
from retorno.reference.models import DocumentType, State

SCHEMA_PATH = Path(__file__).parent / "hsds_schema" / "datapackage.json"
NAMESPACE = uuid.UUID("0b6f0a43-6a0e-4a8e-9f3e-3c1b2d7e9a51")
TAXONOMY_NAME = "retorno"
MAX_ROWS = 200_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024

ELIGIBILITY_LISTS = {
    # link_type -> (Service field, term prefix)
    "eligibility_need": ("needs", "need"),
    "eligibility_flag_any": ("flags_any", "flag"),
    "eligibility_flag_excluded": ("flags_excluded", "flag"),
    "eligibility_state": ("states", "state"),
    "eligibility_sex": ("sexes", "sex"),
}
SERVICE_SETTINGS = [
    "service_code",
    "response_days",
    "outcome_days",
    "capacity",
    "is_health",
    "benefit",
    "name_en",
]
ORG_SETTINGS = ["institution_order", "institution_active", "institution_phone"]
EXPORTED_FILES = [
    "organizations.csv",
    "organization_identifiers.csv",
    "programs.csv",
    "services.csv",
    "locations.csv",
    "addresses.csv",
    "phones.csv",
    "service_at_location.csv",
    "schedules.csv",
    "required_documents.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "attributes.csv",
]


def _id(*parts: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def spec_package() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def spec_resources() -> dict[str, dict]:
    """{file name: resource} of the HSDS 3.0 tabular package."""
    return {r["path"]: r for r in spec_package()["resources"]}


# ---- export --------------------------------------------------------------------------------


def _term(code: str, name: str) -> dict:
    return {
        "id": _id("term", code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": _id("taxonomy", TAXONOMY_NAME),
        "language": "es",
    }


def _time(value: time | None) -> str:
    return value.strftime("%H:%M:%S") if value else ""


def _num(value) -> str:
    return "" if value is None else str(value)


def export_tables() -> dict[str, list[dict]]:
    """The whole directory as HSDS rows: {file name: [row dict, ...]}."""
    tables: dict[str, list[dict]] = {name: [] for name in EXPORTED_FILES}
    terms: dict[str, dict] = {}
    states = dict(State.objects.values_list("pk", "name"))
    doc_names = dict(DocumentType.objects.values_list("code", "name"))

    def attribute(link_id, entity, link_type, code, name, value=""):
        terms.setdefault(code, _term(code, name))
        tables["attributes.csv"].append(
            {
                "id": _id("attribute", link_id, link_type, code, value),
                "link_id": str(link_id),
                "taxonomy_term_id": terms[code]["id"],
                "link_type": link_type,
                "link_entity": entity,
                "value": value,
            }
        )

    for inst in Institution.objects.order_by("code"):
        oid = str(inst.hsds_id)
        tables["organizations.csv"].append(
            {
                "id": oid,
                "name": inst.name,
                "alternate_name": inst.acronym,
                "description": inst.description or inst.name,
                "email": inst.email,
                "website": inst.website,
            }
        )
        tables["organization_identifiers.csv"].append(
            {
                "id": _id("orgid", oid),
                "organization_id": oid,
                "identifier_scheme": TAXONOMY_NAME,
                "identifier_type": "code",
                "identifier": inst.code,
            }
        )
        attribute(
            oid, "organization", "setting", "retorno:institution_order", "Orden de gobierno", inst.order
        )
        attribute(
            oid, "organization", "setting", "retorno:institution_active", "Activa", str(inst.active).lower()
        )
        if inst.phone:
            tables["phones.csv"].append(
                {"id": _id("phone", oid), "organization_id": oid, "number": inst.phone}
            )

    for prog in Program.objects.select_related("institution").order_by("hsds_id"):
        tables["programs.csv"].append(
            {
                "id": str(prog.hsds_id),
                "organization_id": str(prog.institution.hsds_id),
                "name": prog.name,
                "alternate_name": prog.alternate_name,
                "description": prog.description or prog.name,
            }
        )

    for loc in Location.objects.select_related("institution").order_by("hsds_id"):
        lid = str(loc.hsds_id)
        tables["locations.csv"].append(
            {
                "id": lid,
                "location_type": loc.location_type,
                "url": loc.url,
                "organization_id": str(loc.institution.hsds_id) if loc.institution else "",
                "name": loc.name,
                "description": loc.description,
                "latitude": _num(loc.latitude),
                "longitude": _num(loc.longitude),
            }
        )
        if loc.address or loc.city or loc.municipality or loc.state_id or loc.postal_code:
            tables["addresses.csv"].append(
                {
                    "id": _id("address", lid),
                    "location_id": lid,
                    "address_1": loc.address,
                    "city": loc.city,
                    "region": loc.municipality,
                    "state_province": states.get(loc.state_id, ""),
                    "postal_code": loc.postal_code,
                    "country": loc.country,
                    "address_type": "physical",
                }
            )
        if loc.phone:
            tables["phones.csv"].append({"id": _id("phone", lid), "location_id": lid, "number": loc.phone})

    services = Service.objects.select_related("institution", "program").order_by("code")
    for svc in services:
        sid = str(svc.hsds_id)
        tables["services.csv"].append(
            {
                "id": sid,
                "organization_id": str(svc.institution.hsds_id),
                "program_id": str(svc.program.hsds_id) if svc.program else "",
                "name": svc.name,
                "alternate_name": svc.name_en,
                "description": svc.description,
                "url": svc.url,
                "email": svc.email,
                "status": svc.status,
                "application_process": svc.application_process,
                "fees_description": svc.fees_description,
                "eligibility_description": svc.eligibility_description,
                "minimum_age": _num(svc.min_age),
                "maximum_age": _num(svc.max_age),
            }
        )
        if svc.phone:
            tables["phones.csv"].append({"id": _id("phone", sid), "service_id": sid, "number": svc.phone})
        attribute(sid, "service", "setting", "retorno:service_code", "Clave del servicio", svc.code)
        attribute(
            sid,
            "service",
            "setting",
            "retorno:response_days",
            "Plazo de respuesta (días)",
            str(svc.response_days),
        )
        attribute(
            sid,
            "service",
            "setting",
            "retorno:outcome_days",
            "Plazo de resultado (días)",
            str(svc.outcome_days),
        )
        attribute(
            sid, "service", "setting", "retorno:is_health", "Servicio de salud", str(svc.is_health).lower()
        )
        if svc.capacity is not None:
            attribute(sid, "service", "setting", "retorno:capacity", "Capacidad mensual", str(svc.capacity))
        if svc.benefit:
            attribute(sid, "service", "setting", "retorno:benefit", "Apoyo que otorga", svc.benefit)
        for n, key in enumerate(svc.shared_fields):
            attribute(sid, "service", "setting", "retorno:shared_field", "Dato compartido", f"{n}:{key}")
        labels = {
            "need": catalogs.need_label,
            "flag": catalogs.flag_label,
            "state": catalogs.state_label,
            "sex": lambda c: {"H": "Hombre", "M": "Mujer"}.get(c, c),
        }
        for link_type, (attr, prefix) in ELIGIBILITY_LISTS.items():
            for code in getattr(svc, attr):
                attribute(sid, "service", link_type, f"{prefix}:{code}", labels[prefix](code))
        for code in svc.documents_required:
            tables["required_documents.csv"].append(
                {"id": _id("document", sid, code), "service_id": sid, "document": doc_names.get(code, code)}
            )

    for sal in ServiceAtLocation.objects.select_related("service", "location").order_by("hsds_id"):
        tables["service_at_location.csv"].append(
            {
                "id": str(sal.hsds_id),
                "service_id": str(sal.service.hsds_id),
                "location_id": str(sal.location.hsds_id),
                "description": sal.description,
            }
        )
    for sch in Schedule.objects.select_related("service", "location").order_by("hsds_id"):
        tables["schedules.csv"].append(
            {
                "id": str(sch.hsds_id),
                "service_id": str(sch.service.hsds_id) if sch.service else "",
                "location_id": str(sch.location.hsds_id) if sch.location else "",
                "freq": "WEEKLY" if sch.byday else "",
                "byday": sch.byday,
                "opens_at": _time(sch.opens_at),
                "closes_at": _time(sch.closes_at),
                "description": sch.description,
            }
        )
    if terms:
        tables["taxonomies.csv"].append(
            {
                "id": _id("taxonomy", TAXONOMY_NAME),
                "name": TAXONOMY_NAME,
                "description": "Retorno: elegibilidad estructurada y ajustes de canalización",
                "version": "1",
            }
        )
        tables["taxonomy_terms.csv"] = sorted(terms.values(), key=lambda t: t["code"])
    return tables


def _package_descriptor() -> dict:
    spec = spec_package()
    resources = [r for r in spec["resources"] if r["path"] in EXPORTED_FILES]
    return {k: v for k, v in spec.items() if k != "resources"} | {"resources": resources}


def _csv_text(resource: dict, rows: list[dict]) -> str:
    names = [f["name"] for f in resource["schema"]["fields"]]
    out = io.StringIO()
    writer = SafeDictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({n: row.get(n, "") for n in names})
    return out.getvalue()


def export_files() -> dict[str, str]:
    """{file name: text} of the datapackage (datapackage.json included)."""
    tables = export_tables()
    resources = spec_resources()
    files = {name: _csv_text(resources[name], rows) for name, rows in tables.items()}
    files["datapackage.json"] = json.dumps(_package_descriptor(), ensure_ascii=False, indent=2)
    return files


def export_to_folder(path: Path) -> list[Path]:
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in export_files().items():
        target = path / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def export_zip_bytes(*, user=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in export_files().items():
            zf.writestr(name, text)
    if user is not None:
        audit_record(user=user, action=AuditEntry.Action.EXPORT, object_type="directory.hsds")
    return buffer.getvalue()


# ---- reading and validating ----------------------------------------------------------------

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_email = EmailValidator()


@dataclass
class ImportReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str, was_created: bool) -> None:
        (self.created if was_created else self.updated)[kind] += 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated))
        parts = [f"{k}: {self.created.get(k, 0)}+{self.updated.get(k, 0)}" for k in kinds]
        text = ", ".join(parts) or "0"
        if self.warnings:
            text += " · " + _("%(n)s avisos") % {"n": len(self.warnings)}
        return text


def read_folder(path: Path) -> dict[str, str]:
    """{file name: text} of the CSVs and datapackage.json in a folder."""
    if not path.is_dir():
        raise ValidationError(_("No existe la carpeta %(path)s.") % {"path": path})
    files = {}
    for item in path.iterdir():
        if item.is_file() and (item.suffix == ".csv" or item.name == "datapackage.json"):
            files[item.name] = item.read_text(encoding="utf-8-sig")
    return files


def read_zip(fileobj: BinaryIO) -> dict[str, str]:
    """{file name: text} from a zip; files may sit in one sub-folder. Refuses zip bombs."""
    try:
        zf = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(_("El archivo no es un .zip válido.")) from exc
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
            raise ValidationError(_("El paquete descomprimido es demasiado grande."))
        files = {}
        for info in infos:
            name = info.filename.rsplit("/", 1)[-1]
            if name.endswith(".csv") or name == "datapackage.json":
                try:
                    files[name] = zf.read(info).decode("utf-8-sig")
                except UnicodeDecodeError as exc:
                    raise ValidationError(
                        _("%(file)s no está codificado en UTF-8.") % {"file": name}
                    ) from exc
    return files


def _check_value(value: str, spec: dict) -> str | None:
    """Error text for one cell against its HSDS field spec, or None."""
    kind, fmt = spec.get("type"), spec.get("format")
    enum = spec.get("constraints", {}).get("enum")
    if enum and value not in enum:
        return _("«%(v)s» no es uno de: %(opts)s") % {"v": value[:60], "opts": ", ".join(enum)}
    if fmt == "uuid" and not UUID_RE.match(value):
        return _("«%(v)s» no es un UUID") % {"v": value[:60]}
    if fmt == "email":
        try:
            _email(value)
        except ValidationError:
            return _("«%(v)s» no es un correo válido") % {"v": value[:60]}
    try:
        if kind == "number":
            Decimal(value)
        elif kind == "date":
            date.fromisoformat(value)
        elif kind == "time":
            time.fromisoformat(value)
        elif kind == "datetime":
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (InvalidOperation, ValueError):
        return _("«%(v)s» no es un valor de tipo %(t)s") % {"v": value[:60], "t": kind}
    return None


# Required values we cannot import without; other HSDS-required values missing are warnings
# (an export of a location with no postal code is still a good directory).
ESSENTIAL = {
    "organizations.csv": {"id", "name"},
    "programs.csv": {"id", "organization_id", "name"},
    "services.csv": {"id", "organization_id", "name", "status"},
    "locations.csv": {"id", "location_type"},
    "service_at_location.csv": {"id", "service_id", "location_id"},
    "attributes.csv": {"id", "link_id", "taxonomy_term_id"},
    "taxonomy_terms.csv": {"id", "name"},
}


def validate(files: dict[str, str]) -> tuple[dict[str, list[dict]], list[str], list[str]]:
    """Parse and check every known CSV. Returns (tables, errors, warnings)."""
    resources = spec_resources()
    tables: dict[str, list[dict]] = {}
    errors: list[str] = []
    warnings: list[str] = []
    if "services.csv" not in files and "organizations.csv" not in files:
        errors.append(_("El paquete no contiene organizations.csv ni services.csv."))
    for name in sorted(files):
        if name == "datapackage.json":
            try:
                json.loads(files[name])
            except ValueError:
                errors.append(_("datapackage.json no es JSON válido."))
            continue
        if name not in resources:
            warnings.append(_("%(file)s no es una tabla de HSDS 3.0; se ignora.") % {"file": name})
            continue
        specs = {f["name"]: f for f in resources[name]["schema"]["fields"]}
        reader = csv.DictReader(io.StringIO(files[name]))
        header = reader.fieldnames or []
        if "id" not in header:
            errors.append(_("%(file)s: falta la columna «id».") % {"file": name})
            continue
        extra = [h for h in header if h not in specs]
        if extra:
            warnings.append(
                _("%(file)s: columnas desconocidas ignoradas: %(cols)s")
                % {"file": name, "cols": ", ".join(extra)}
            )
        essential = ESSENTIAL.get(name, {"id"})
        missing: dict[str, list[int]] = defaultdict(list)
        rows = []
        seen: set[str] = set()
        for line, raw in enumerate(reader, start=2):
            if line > MAX_ROWS:
                errors.append(_("%(file)s: demasiadas filas.") % {"file": name})
                break
            # Our own export neutralised formula-like cells with an apostrophe: read them back as typed.
            row = {k: cell_unescape((v or "").strip()) for k, v in raw.items() if k in specs}
            for col, spec in specs.items():
                value = row.get(col, "")
                where = _("%(file)s, fila %(line)s, %(col)s") % {"file": name, "line": line, "col": col}
                if not value:
                    if spec.get("constraints", {}).get("required"):
                        if col in essential:
                            errors.append(f"{where}: " + _("valor requerido"))
                        else:
                            missing[col].append(line)
                    continue
                problem = _check_value(value, spec)
                if problem:
                    errors.append(f"{where}: {problem}")
            if row.get("id") in seen:
                errors.append(
                    _("%(file)s, fila %(line)s: id repetido %(id)s")
                    % {"file": name, "line": line, "id": row["id"]}
                )
            seen.add(row.get("id", ""))
            rows.append(row)
        for col, lines in missing.items():
            shown = ", ".join(str(n) for n in lines[:10]) + ("…" if len(lines) > 10 else "")
            warnings.append(
                _("%(file)s, %(col)s: valor requerido por HSDS vacío en %(n)s filas (%(lines)s)")
                % {"file": name, "col": col, "n": len(lines), "lines": shown}
            )
        tables[name] = rows
    return tables, errors, warnings


# ---- import --------------------------------------------------------------------------------


def _number(value: str) -> int | None:
    return int(Decimal(value)) if value else None


def _decimal(value: str) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.000001")) if value else None


def _unique_code(model, field_name: str, base: str, max_len: int, hsds_id: str) -> str:
    base = base[: max_len - 9] or "x"
    code = f"{base}-{hsds_id[:8]}"
    return (
        code if not model.objects.filter(**{field_name: code}).exclude(hsds_id=hsds_id).exists() else hsds_id
    )


@dataclass
class _Context:
    """The parsed tables plus the lookups every record type needs (attributes, phones, codes)."""

    tables: dict[str, list[dict]]
    report: ImportReport
    attrs: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    phones: dict[tuple[str, str], str] = field(default_factory=dict)
    org_codes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, tables: dict[str, list[dict]], report: ImportReport) -> "_Context":
        ctx = cls(tables, report)
        terms = {t["id"]: t for t in tables.get("taxonomy_terms.csv", [])}
        for a in tables.get("attributes.csv", []):  # link_id -> (link_type, term code, value)
            term = terms.get(a["taxonomy_term_id"])
            if term is None or not term.get("code"):
                report.warnings.append(
                    _("attributes.csv: atributo %(id)s con término desconocido; se ignora.") % {"id": a["id"]}
                )
                continue
            ctx.attrs[a["link_id"]].append((a.get("link_type", ""), term["code"], a.get("value", "")))
        ctx.org_codes = {
            r["organization_id"]: r["identifier"]
            for r in tables.get("organization_identifiers.csv", [])
            if r.get("identifier_scheme") == TAXONOMY_NAME and r.get("identifier_type") == "code"
        }
        for p in tables.get("phones.csv", []):
            for kind in ("organization_id", "service_id", "location_id"):
                if p.get(kind):
                    ctx.phones.setdefault((kind, p[kind]), p.get("number", "")[:40])
        return ctx

    def setting(self, link_id: str, key: str) -> str | None:
        for _link_type, code, value in self.attrs.get(link_id, []):
            if code == f"retorno:{key}":
                return value
        return None


def _import_organizations(ctx: _Context) -> dict[str, Institution]:
    institutions: dict[str, Institution] = {str(i.hsds_id): i for i in Institution.objects.all()}
    for row in ctx.tables.get("organizations.csv", []):
        oid = row["id"]
        code = ctx.org_codes.get(oid) or (
            institutions[oid].code
            if oid in institutions
            else _unique_code(Institution, "code", slugify(row["name"]).upper(), 40, oid)
        )
        order = ctx.setting(oid, "institution_order")
        active = ctx.setting(oid, "institution_active")
        values = {
            "code": code[:40],
            "name": row["name"][:200],
            "acronym": row.get("alternate_name", "")[:40],
            "description": "" if row.get("description") == row["name"] else row.get("description", ""),
            "email": row.get("email", "")[:254],
            "website": row.get("website", "")[:200],
            "phone": ctx.phones.get(("organization_id", oid), ""),
        }
        if order in Institution.Order.values:
            values["order"] = order
        if active in ("true", "false"):
            values["active"] = active == "true"
        existing = institutions.get(oid) or Institution.objects.filter(code=values["code"]).first()
        if existing is None:
            inst = Institution(hsds_id=oid, **values)
            created = True
        else:
            inst = existing
            for k, v in values.items():
                setattr(inst, k, v)
            created = False
        inst.full_clean(exclude=["hsds_id"])
        inst.save()
        institutions[oid] = inst
        ctx.report.count("organizations", created)
    return institutions


def _import_programs(ctx: _Context, institutions: dict[str, Institution]) -> dict[str, Program]:
    programs: dict[str, Program] = {}
    for row in ctx.tables.get("programs.csv", []):
        inst = institutions.get(row["organization_id"])
        if inst is None:
            ctx.report.warnings.append(
                _("programs.csv: programa %(id)s de una organización desconocida; se ignora.")
                % {"id": row["id"]}
            )
            continue
        desc = row.get("description", "")
        programs[row["id"]], created = Program.objects.update_or_create(
            hsds_id=row["id"],
            defaults={
                "institution": inst,
                "name": row["name"][:200],
                "alternate_name": row.get("alternate_name", "")[:200],
                "description": "" if desc == row["name"] else desc,
            },
        )
        ctx.report.count("programs", created)
    return programs


def _import_locations(ctx: _Context, institutions: dict[str, Institution]) -> dict[str, Location]:
    states_by_key = {}
    for s in State.objects.all():
        states_by_key[s.code.lower()] = s
        states_by_key[s.name.lower()] = s
    addresses = {a["location_id"]: a for a in ctx.tables.get("addresses.csv", []) if a.get("location_id")}
    locations: dict[str, Location] = {str(loc.hsds_id): loc for loc in Location.objects.all()}
    for row in ctx.tables.get("locations.csv", []):
        lid = row["id"]
        inst = institutions.get(row.get("organization_id", ""))
        if row.get("organization_id") and inst is None:
            ctx.report.warnings.append(
                _("locations.csv: sede %(id)s refiere a una organización desconocida; queda sin institución.")
                % {"id": lid}
            )
        addr = addresses.get(lid, {})
        state = None
        if addr.get("state_province"):
            state = states_by_key.get(addr["state_province"].lower())
            if state is None:
                ctx.report.warnings.append(
                    _("addresses.csv: entidad desconocida «%(s)s» en la sede %(id)s.")
                    % {"s": addr["state_province"], "id": lid}
                )
        values = {
            "institution": inst,
            "name": (row.get("name") or addr.get("address_1") or lid)[:200],
            "location_type": row["location_type"],
            "description": row.get("description", ""),
            "url": row.get("url", "")[:200],
            "latitude": _decimal(row.get("latitude", "")),
            "longitude": _decimal(row.get("longitude", "")),
            "address": " ".join(p for p in (addr.get("address_1", ""), addr.get("address_2", "")) if p)[:250],
            "city": addr.get("city", "")[:120],
            "municipality": addr.get("region", "")[:120],
            "state": state,
            "postal_code": addr.get("postal_code", "")[:12],
            "country": (addr.get("country") or "MX")[:2],
            "phone": ctx.phones.get(("location_id", lid), ""),
        }
        locations[lid], created = Location.objects.update_or_create(hsds_id=lid, defaults=values)
        ctx.report.count("locations", created)
    return locations


def _required_documents(ctx: _Context) -> dict[str, list[str]]:
    """{service id: [document type code, or '?' + free text when not in the catalog]}."""
    doc_by_key = {}
    for d in DocumentType.objects.all():
        doc_by_key[d.code.lower()] = d.code
        doc_by_key[d.name.lower()] = d.code
    documents: dict[str, list[str]] = defaultdict(list)
    for row in ctx.tables.get("required_documents.csv", []):
        code = doc_by_key.get(row.get("document", "").lower())
        if code is None:
            ctx.report.warnings.append(
                _("required_documents.csv: documento «%(d)s» no está en el catálogo; queda sólo como texto.")
                % {"d": row.get("document", "")[:80]}
            )
            documents[row.get("service_id", "")].append("?" + row.get("document", ""))
        else:
            documents[row.get("service_id", "")].append(code)
    return documents


def _import_services(
    ctx: _Context, institutions: dict[str, Institution], programs: dict[str, Program]
) -> dict[str, Service]:
    documents = _required_documents(ctx)
    services: dict[str, Service] = {str(s.hsds_id): s for s in Service.objects.all()}
    for row in ctx.tables.get("services.csv", []):
        sid = row["id"]
        inst = institutions.get(row["organization_id"])
        if inst is None:
            raise ValidationError(
                _("services.csv: el servicio %(id)s refiere a una organización que no existe.") % {"id": sid}
            )
        lists: dict[str, list[str]] = {attr: [] for attr, _prefix in ELIGIBILITY_LISTS.values()}
        shared: list[tuple[int, str]] = []
        for link_type, code, value in ctx.attrs.get(sid, []):
            if link_type in ELIGIBILITY_LISTS:
                attr, prefix = ELIGIBILITY_LISTS[link_type]
                if code.startswith(prefix + ":"):
                    lists[attr].append(code.split(":", 1)[1])
            elif code == "retorno:shared_field":
                pos, _sep, key = value.partition(":")
                shared.append((int(pos) if pos.isdigit() else len(shared), key))
        docs = [d for d in documents.get(sid, []) if not d.startswith("?")]
        doc_text = "; ".join(d[1:] for d in documents.get(sid, []) if d.startswith("?"))
        eligibility_text = row.get("eligibility_description", "")
        if doc_text:
            eligibility_text = " ".join(
                p for p in (eligibility_text, _("Documentos: %(d)s") % {"d": doc_text}) if p
            )
        code = ctx.setting(sid, "service_code") or (
            services[sid].code
            if sid in services
            else _unique_code(Service, "code", slugify(row["name"]), 60, sid)
        )
        values = {
            "code": code[:60],
            "institution": inst,
            "program": programs.get(row.get("program_id", ""))
            or Program.objects.filter(hsds_id=row.get("program_id") or None).first(),
            "name": row["name"][:200],
            "name_en": (ctx.setting(sid, "name_en") or row.get("alternate_name", ""))[:200],
            "description": row.get("description", ""),
            "url": row.get("url", "")[:200],
            "email": row.get("email", "")[:254],
            "status": row["status"],
            "application_process": row.get("application_process", ""),
            "fees_description": row.get("fees_description", ""),
            "eligibility_description": eligibility_text,
            "min_age": _number(row.get("minimum_age", "")),
            "max_age": _number(row.get("maximum_age", "")),
            "phone": ctx.phones.get(("service_id", sid), ""),
            "benefit": ctx.setting(sid, "benefit") or "",
            "is_health": (ctx.setting(sid, "is_health") or "false") == "true",
            "shared_fields": [key for _pos, key in sorted(shared)],
            "documents_required": docs,
            **lists,
        }
        for key in ("response_days", "outcome_days", "capacity"):
            raw = ctx.setting(sid, key)
            if raw is not None:
                if not raw.isdigit():
                    raise ValidationError(
                        _("attributes.csv: %(k)s del servicio %(id)s no es un número.")
                        % {"k": key, "id": sid}
                    )
                values[key] = int(raw)
        existing = services.get(sid)
        svc = existing or Service(hsds_id=sid)
        for k, v in values.items():
            setattr(svc, k, v)
        try:
            svc.full_clean(exclude=["hsds_id", "locations"])
        except ValidationError as exc:
            raise ValidationError(
                [f"services.csv {sid} {k}: {'; '.join(m)}" for k, m in exc.message_dict.items()]
            ) from exc
        svc.save()
        services[sid] = svc
        ctx.report.count("services", existing is None)
    return services


def _import_service_locations(
    ctx: _Context, services: dict[str, Service], locations: dict[str, Location]
) -> None:
    for row in ctx.tables.get("service_at_location.csv", []):
        svc, loc = services.get(row["service_id"]), locations.get(row["location_id"])
        if svc is None or loc is None:
            ctx.report.warnings.append(
                _("service_at_location.csv: %(id)s refiere a un servicio o sede desconocidos; se ignora.")
                % {"id": row["id"]}
            )
            continue
        ServiceAtLocation.objects.filter(service=svc, location=loc).exclude(hsds_id=row["id"]).delete()
        _obj, created = ServiceAtLocation.objects.update_or_create(
            hsds_id=row["id"],
            defaults={"service": svc, "location": loc, "description": row.get("description", "")},
        )
        ctx.report.count("service_at_location", created)


def _import_schedules(ctx: _Context, services: dict[str, Service], locations: dict[str, Location]) -> None:
    sal_by_id = {r["id"]: r for r in ctx.tables.get("service_at_location.csv", [])}
    for row in ctx.tables.get("schedules.csv", []):
        svc = services.get(row.get("service_id", ""))
        loc = locations.get(row.get("location_id", ""))
        via = sal_by_id.get(row.get("service_at_location_id", ""))
        if via is not None:
            svc = svc or services.get(via["service_id"])
            loc = loc or locations.get(via["location_id"])
        if svc is None and loc is None:
            ctx.report.warnings.append(
                _("schedules.csv: horario %(id)s sin servicio ni sede conocidos; se ignora.")
                % {"id": row["id"]}
            )
            continue
        _obj, created = Schedule.objects.update_or_create(
            hsds_id=row["id"],
            defaults={
                "service": svc,
                "location": loc,
                "byday": row.get("byday", "")[:40],
                "opens_at": time.fromisoformat(row["opens_at"]) if row.get("opens_at") else None,
                "closes_at": time.fromisoformat(row["closes_at"]) if row.get("closes_at") else None,
                "description": row.get("description", "")[:300],
            },
        )
        ctx.report.count("schedules", created)


def import_tables(tables: dict[str, list[dict]], report: ImportReport) -> None:
    """Upsert every record by its HSDS id. Must run inside a transaction."""
    ctx = _Context.build(tables, report)
    institutions = _import_organizations(ctx)
    programs = _import_programs(ctx, institutions)
    locations = _import_locations(ctx, institutions)
    services = _import_services(ctx, institutions, programs)
    _import_service_locations(ctx, services, locations)
    _import_schedules(ctx, services, locations)


def import_files(files: dict[str, str], *, user=None) -> ImportReport:
    """Validate then import a datapackage's files, all or nothing.

    Raises ValidationError with one message per problem (file, row, column) when anything is
    wrong; nothing is written then. Returns the report (counts and warnings) otherwise.
    """
    tables, errors, warnings = validate(files)
    if errors:
        raise ValidationError(errors[:200])
    report = ImportReport(warnings=warnings)
    with transaction.atomic():
        import_tables(tables, report)
        if user is not None:
            audit_record(
                user=user,
                action=AuditEntry.Action.CREATE,
                object_type="directory.hsds",
                detail={"summary": report.summary()},
            )
    return report


def import_zip(*, user=None, fileobj: BinaryIO) -> ImportReport:
    return import_files(read_zip(fileobj), user=user)


def import_path(path: Path, *, user=None) -> ImportReport:
    if path.is_dir():
        return import_files(read_folder(path), user=user)
    if not path.exists():
        raise ValidationError(_("No existe %(path)s.") % {"path": path})
    with path.open("rb") as fh:
        return import_zip(user=user, fileobj=fh)
