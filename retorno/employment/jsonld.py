"""Vacancies as schema.org JobPosting JSON-LD (what job boards publish and Google for Jobs reads):
import with errors per posting and field, export in the same shape.

A file is a JobPosting, a list of them, an ItemList (`itemListElement`) or a `@graph`. What
schema.org has no term for (the English level asked, other languages, inclusive-hiring flags)
travels in the `retorno:` namespace of the export's @context. Import is all or nothing unless
`skip_invalid`; it is idempotent on the posting's `identifier`. Reading JSON-LD as plain JSON (no
@context expansion) is deliberate: job boards publish compact JSON-LD with the schema.org
context, and expansion (pyld) would fetch remote contexts."""

import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.employment.models import Education, Occupation, Vacancy
from retorno.employment.rules import programmes
from retorno.reference.models import State

MAX_BYTES = 20 * 1024 * 1024
MAX_POSTINGS = 50_000
NAMESPACE = "https://github.com/retorno/retorno/ns/employment#"
CONTEXT = ["https://schema.org", {"retorno": NAMESPACE}]

# schema.org credentialCategory words -> the diagnosis' education scale.
CREDENTIALS = {
    "no requirements": Education.NONE,
    "primary school": Education.PRIMARY,
    "middle school": Education.SECONDARY,
    "high school": Education.HIGH_SCHOOL,
    "associate degree": Education.TECHNICAL,
    "professional certificate": Education.TECHNICAL,
    "bachelor degree": Education.UNIVERSITY,
    "postgraduate degree": Education.POSTGRADUATE,
}
EXPORT_CREDENTIAL = {
    Education.PRIMARY: "primary school",
    Education.PRIMARY_INCOMPLETE: "primary school",
    Education.SECONDARY: "middle school",
    Education.HIGH_SCHOOL: "high school",
    Education.TECHNICAL: "associate degree",
    Education.UNIVERSITY: "bachelor degree",
    Education.POSTGRADUATE: "postgraduate degree",
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # (posting #, identifier, field, message)

    def summary(self) -> str:
        return _("%(c)s vacantes nuevas, %(u)s actualizadas, %(e)s errores") % {
            "c": self.created,
            "u": self.updated,
            "e": len(self.errors),
        }


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _id_of(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("value") or value.get("@id") or value.get("name")
    return "" if value is None else str(value).strip()


def postings_of(document: Any) -> list[Any]:
    """The JobPostings of a parsed JSON-LD document; ValidationError when there are none."""
    if isinstance(document, dict) and "@graph" in document:
        document = document["@graph"]
    elif isinstance(document, dict) and "itemListElement" in document:
        document = [e.get("item", e) if isinstance(e, dict) else e for e in document["itemListElement"] or []]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise ValidationError(_("El archivo no contiene ofertas JobPosting."))
    if len(document) > MAX_POSTINGS:
        raise ValidationError(_("Demasiadas ofertas en un archivo (máximo %(n)s).") % {"n": MAX_POSTINGS})
    return document


def parse(content: bytes) -> list[Any]:
    if len(content) > MAX_BYTES:
        raise ValidationError(
            _("El archivo es demasiado grande (máximo %(n)s MB).") % {"n": MAX_BYTES // 2**20}
        )
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationError(_("El archivo no está en UTF-8 (byte %(at)s).") % {"at": exc.start}) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("El archivo no es JSON válido: línea %(line)s, columna %(col)s.")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    return postings_of(document)


def _occupation(value: Any) -> str:
    """The national occupation code of an occupationalCategory (a code, or a CategoryCode of the
    national set or of ISCO-08, mapped through occupations.csv)."""
    value = _first(value)
    code, code_set = value, ""
    if isinstance(value, dict):
        code, code_set = value.get("codeValue") or value.get("name") or "", str(value.get("inCodeSet") or "")
    code = str(code or "").strip()
    foreign = "isco" in code_set.casefold() or "ciuo" in code_set.casefold()
    if foreign and "isco" not in programmes().occupation_scheme.casefold():
        found = Occupation.objects.filter(isco=code).order_by("code").values_list("code", flat=True).first()
        return found or f"ISCO:{code}"
    return code


def _state(value: Any) -> str:
    value = str(value or "").strip()
    if not value:
        return ""
    if State.objects.filter(code=value.upper()).exists():
        return value.upper()
    folded = _fold(value)
    for code, name in State.objects.values_list("code", "name"):
        if _fold(name) == folded:
            return code
    return value


def _date(value: Any) -> Any:
    value = _first(value)
    return str(value)[:10] if value not in (None, "") else None


def posting_to_input(posting: Any) -> tuple[dict[str, Any], dict | None]:
    """(vacancy input for services.vacancy_clean, employer {name, code}) of one JobPosting."""
    if not isinstance(posting, dict):
        raise ValidationError({"@type": _("Cada oferta debe ser un objeto JobPosting.")})
    kind = posting.get("@type")
    if kind not in ("JobPosting", ["JobPosting"]) and not (isinstance(kind, list) and "JobPosting" in kind):
        raise ValidationError({"@type": _("Se esperaba @type JobPosting.")})
    location = _first(posting.get("jobLocation")) or {}
    address = (location.get("address") if isinstance(location, dict) else None) or {}
    salary = posting.get("baseSalary") or {}
    amount = (salary.get("value") if isinstance(salary, dict) else None) or {}
    if not isinstance(amount, dict):
        amount = {"value": amount}
    education = posting.get("educationRequirements")
    education = _first(education)
    if isinstance(education, dict):
        education = education.get("credentialCategory")
    education = CREDENTIALS.get(_fold(education or ""), education or "none")
    experience = posting.get("experienceRequirements")
    years = 0
    if isinstance(experience, dict) and experience.get("monthsOfExperience") not in (None, ""):
        try:
            years = int(float(experience["monthsOfExperience"]) // 12)
        except (TypeError, ValueError):
            years = experience["monthsOfExperience"]
    skills = posting.get("skills") or []
    if isinstance(skills, str):
        skills = [s for s in skills.replace(";", ",").split(",")]
    elif isinstance(skills, list):
        skills = [s.get("name", "") if isinstance(s, dict) else s for s in skills]
    employment_type = posting.get("employmentType")
    employment_type = _first(employment_type) if employment_type else None
    organisation = posting.get("hiringOrganization") or {}
    if isinstance(organisation, str):
        organisation = {"name": organisation}
    employer = None
    if isinstance(organisation, dict) and str(organisation.get("name") or "").strip():
        employer = {
            "name": str(organisation["name"]).strip()[:200],
            "code": _id_of(organisation.get("identifier"))[:40],
        }
    data = {
        "identifier": _id_of(posting.get("identifier")) or str(posting.get("url") or "").strip(),
        "title": posting.get("title"),
        "description": strip_tags(str(posting.get("description") or "")).strip(),
        "occupation": _occupation(posting.get("occupationalCategory")),
        "skills": skills,
        "english_level": posting.get("retorno:englishLevel") or "none",
        "languages": posting.get("retorno:languages") or [],
        "education": education,
        "experience_years": years,
        "state": _state(address.get("addressRegion") if isinstance(address, dict) else ""),
        "municipality": (address.get("addressLocality") if isinstance(address, dict) else "") or "",
        "salary_min": amount.get("minValue", amount.get("value")),
        "salary_max": amount.get("maxValue", amount.get("value")),
        "salary_currency": salary.get("currency") if isinstance(salary, dict) else None,
        "salary_unit": amount.get("unitText") or "MONTH",
        "schedule": employment_type or "FULL_TIME",
        "positions": posting.get("totalJobOpenings") or 1,
        "date_posted": _date(posting.get("datePosted")),
        "valid_through": _date(posting.get("validThrough")),
        "flags": posting.get("retorno:inclusiveHiring") or [],
    }
    return data, employer


def import_postings(*, user: User, content: bytes, skip_invalid: bool = False) -> ImportReport:
    """Import a JSON-LD file of JobPostings. All or nothing unless `skip_invalid`: with errors
    and without it, ValidationError carries the report's lines and nothing is saved."""
    from retorno.core.exceptions import AccessDenied
    from retorno.employment import services
    from retorno.employment.access import is_job_bank

    if not is_job_bank(user):
        raise AccessDenied(services.MSG_JOB_BANK_ONLY)
    postings = parse(content)
    report = ImportReport()
    seen: set[str] = set()
    with transaction.atomic():
        for number, posting in enumerate(postings, start=1):
            identifier = ""
            try:
                data, employer = posting_to_input(posting)
                identifier = data["identifier"][:120]
                if not identifier:
                    raise ValidationError({"identifier": _("Cada oferta necesita su identifier (o url).")})
                if identifier in seen:
                    raise ValidationError({"identifier": _("Identificador repetido en el archivo.")})
                seen.add(identifier)
                with transaction.atomic():  # a failed posting leaves nothing behind
                    if employer is None:
                        raise ValidationError({"hiringOrganization": _("Falta el nombre del empleador.")})
                    data["employer"] = services.employer_for(**employer).code
                    existing = Vacancy.objects.filter(identifier=identifier).first()
                    services.vacancy_save(user=user, data=data, vacancy=existing, source="jsonld")
                report.created += existing is None
                report.updated += existing is not None
            except ValidationError as exc:
                details = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                for key, messages in details.items():
                    for message in messages:
                        report.errors.append((number, identifier, key, str(message)))
        if report.errors and not skip_invalid:
            transaction.set_rollback(True)
            lines = [_("No se importó nada: %(n)s errores.") % {"n": len(report.errors)}]
            lines += [format_error(e) for e in report.errors[:200]]
            raise ValidationError(lines)
    return report


def format_error(error: tuple[int, str, str, str]) -> str:
    number, identifier, key, message = error
    where = f"#{number}" + (f" ({identifier})" if identifier else "")
    return f"{where} {key}: {message}" if key else f"{where}: {message}"


def vacancy_to_posting(v: Vacancy) -> dict[str, Any]:
    """One vacancy as a schema.org JobPosting (compact JSON-LD, without @context)."""
    posting: dict[str, Any] = {
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": "Retorno", "value": v.identifier},
        "title": v.title,
        "description": v.description or v.title,
        "datePosted": v.date_posted.isoformat(),
        "validThrough": v.valid_through.isoformat(),
        "employmentType": v.schedule,
        "totalJobOpenings": v.positions,
        "occupationalCategory": {
            "@type": "CategoryCode",
            "codeValue": v.occupation.code,
            "name": v.occupation.name,
            "inCodeSet": programmes().occupation_scheme,
        },
        "hiringOrganization": {
            "@type": "Organization",
            "name": v.employer.name,
            "identifier": v.employer.code,
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": v.municipality,
                "addressRegion": v.state.code,
                "addressCountry": _country(),
            },
        },
        "skills": ", ".join(v.skills),
        "retorno:englishLevel": v.english_level,
        "retorno:languages": v.languages,
        "retorno:inclusiveHiring": v.flags,
        "retorno:isco08": v.occupation.isco,
    }
    if v.education in EXPORT_CREDENTIAL:
        posting["educationRequirements"] = {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": EXPORT_CREDENTIAL[v.education],
        }
    if v.experience_years:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": v.experience_years * 12,
        }
    if v.salary_min is not None or v.salary_max is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": v.salary_unit}
        if v.salary_min is not None:
            value["minValue"] = float(v.salary_min)
        if v.salary_max is not None:
            value["maxValue"] = float(v.salary_max)
        posting["baseSalary"] = {"@type": "MonetaryAmount", "currency": v.salary_currency, "value": value}
    return posting


def _country() -> str:
    from retorno.reference.country import country_code

    return country_code().upper()


def export_postings(vacancies) -> bytes:
    document = {
        "@context": CONTEXT,
        "@graph": [
            vacancy_to_posting(v) for v in vacancies.select_related("occupation", "state", "employer")
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
