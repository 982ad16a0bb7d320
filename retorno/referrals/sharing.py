"""Which of a person's data an institution receives with a referral.

Each service lists, as data (Service.shared_fields), the keys below it needs; the referral keeps a
snapshot of exactly those values, taken when it is sent. Health data is never shared with a
service that is not a health service, whatever its list says.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from retorno.diagnosis.profile import Profile
from retorno.reference.country import national_id_name

HEALTH_FIELDS = {"health_conditions"}
# Read from the latest complete diagnosis' answers.
DIAGNOSIS_FIELDS = {"trade", "years_experience", "education_level", "health_conditions"}


def _event(person):
    from retorno.reception.models import RepatriationEvent

    return (
        RepatriationEvent.objects.filter(person=person)
        .select_related("reception_point", "destination_state", "origin_state")
        .order_by("-arrived_at")
        .first()
    )


@dataclass
class _Answers:
    """The latest complete diagnosis' answers with its questionnaire version (for labels)."""

    answers: dict = field(default_factory=dict)
    definition: dict = field(default_factory=dict)

    @classmethod
    def of(cls, person) -> "_Answers":
        from retorno.diagnosis.selectors import diagnosis_latest

        diagnosis = diagnosis_latest(person)  # drafts are not shared: they may be wrong
        if diagnosis is None:
            return cls()
        return cls(diagnosis.answers, diagnosis.questionnaire.definition)

    def value(self, name: str) -> Any:
        value = self.answers.get(name)
        return None if value in (None, "", []) else value

    def label(self, name: str) -> str | None:
        """The answer as its choice label(s) in the snapshot's language, or None if unanswered."""
        from retorno.diagnosis.questionnaire import choices_of, questions, text

        value = self.value(name)
        if value is None:
            return None
        question = next((q for q in questions(self.definition) if q["name"] == name), None)
        if question is None:
            return str(value)
        labels = {c["value"]: text(c["label"]) for c in choices_of(self.definition, question)}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)


def _trade(diag: _Answers) -> str | None:
    if diag.value("trade") == "other" and diag.value("trade_other"):
        return diag.value("trade_other")
    return diag.label("trade")


HEALTH_ANSWERS = {
    "needs_medical_now": _("Necesita atención médica ahora"),
    "chronic_illness": _("Enfermedad crónica o grave"),
    "pregnant": _("Embarazo"),
    "has_disability": _("Discapacidad"),
}


def _health(diag: _Answers, profile: Profile) -> list[str]:
    """Short health statements from the diagnosis (only ever for health services)."""
    out = []
    for name, label in HEALTH_ANSWERS.items():
        value = diag.value(name)
        if value is True or value == "yes":
            detail = diag.label("disability_type") if name == "has_disability" else None
            out.append(f"{label}: {detail}" if detail else str(label))
    if "mental_health_distress" in profile.flags:
        out.append(str(_("Malestar psicológico (K6)")))
    return out


def _state_name(code: str | None) -> str:
    from retorno.directory.catalogs import state_label

    return state_label(code) if code else ""


# key -> (label, getter(person, profile, event, diagnosis answers))
FIELDS: dict[str, tuple[Any, Callable]] = {
    "full_name": (_("Nombre"), lambda person, profile, event, diag: person.full_name),
    "sex": (_("Sexo"), lambda person, profile, event, diag: person.get_sex_display()),
    "age": (_("Edad"), lambda person, profile, event, diag: profile.age),
    "birth_date": (
        _("Fecha de nacimiento"),
        lambda person, profile, event, diag: person.birth_date.isoformat() if person.birth_date else "",
    ),
    # Keyed 'curp' in every country (services.yaml's shared_fields); labelled with the pack's name.
    "curp": (lazy(national_id_name, str)(), lambda person, profile, event, diag: person.curp),
    "phone": (_("Teléfono"), lambda person, profile, event, diag: person.phone_mx or person.phone_us),
    "preferred_language": (
        _("Idioma preferido"),
        lambda person, profile, event, diag: person.preferred_language,
    ),
    "origin_state": (
        _("Entidad de origen"),
        lambda person, profile, event, diag: _state_name(profile.origin_state),
    ),
    "destination_state": (
        _("Entidad de destino"),
        lambda person, profile, event, diag: _state_name(profile.destination_state),
    ),
    "destination_municipality": (
        _("Municipio de destino"),
        lambda person, profile, event, diag: event.destination_municipality if event else "",
    ),
    "reception_point": (
        _("Punto de recepción"),
        lambda person, profile, event, diag: event.reception_point.name if event else "",
    ),
    "documents_held": (
        _("Documentos que porta"),
        lambda person, profile, event, diag: sorted(profile.documents_held),
    ),
    "needs": (_("Necesidades"), lambda person, profile, event, diag: sorted(profile.needs)),
    "flags": (_("Grupos prioritarios"), lambda person, profile, event, diag: sorted(profile.flags)),
    "trade": (_("Oficio"), lambda person, profile, event, diag: _trade(diag)),
    "years_experience": (
        _("Años de experiencia"),
        lambda person, profile, event, diag: diag.value("experience_years"),
    ),
    "education_level": (
        _("Escolaridad"),
        lambda person, profile, event, diag: diag.label("education_level"),
    ),
    "health_conditions": (
        _("Condiciones de salud"),
        lambda person, profile, event, diag: _health(diag, profile),
    ),
}


def fields_for_service(service) -> list[str]:
    """The keys the service may receive, in its order; health keys only for health services."""
    return [
        key
        for key in service.shared_fields
        if key in FIELDS and (service.is_health or key not in HEALTH_FIELDS)
    ]


def shared_data_for(*, person, profile: Profile, service) -> dict[str, Any]:
    """Snapshot {key: value} of the person's data the service needs (JSON-serialisable).

    trade, years_experience, education_level and health_conditions come from the latest complete
    diagnosis (empty without one); health_conditions only ever reaches a health service."""
    event = _event(person)
    keys = fields_for_service(service)
    diag = _Answers.of(person) if DIAGNOSIS_FIELDS & set(keys) else _Answers()
    data = {}
    # Stored text, like the stored reasons, is in the site's language whoever sends it.
    with translation.override(settings.LANGUAGE_CODE):
        for key in keys:
            value = FIELDS[key][1](person, profile, event, diag)
            data[key] = value if value is not None else ""
    return data


def labelled(shared_data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) pairs for display, in the stored order."""
    rows = []
    for key, value in shared_data.items():
        label = FIELDS[key][0] if key in FIELDS else key
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        rows.append((str(label), value))
    return rows
