"""Which of a person's data an institution receives with a referral.

Each service lists, as data (Service.shared_fields), the keys below it needs; the referral keeps a
snapshot of exactly those values, taken when it is sent. Health data is never shared with a
service that is not a health service, whatever its list says.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from retorno.diagnosis.profile import Profile

HEALTH_FIELDS = {"health_conditions"}


def _event(person):
    from retorno.reception.models import RepatriationEvent

    return (
        RepatriationEvent.objects.filter(person=person)
        .select_related("reception_point", "destination_state", "origin_state")
        .order_by("-arrived_at")
        .first()
    )


def _answer(profile: Profile, *names: str) -> Any:
    # Diagnosis answers enrich the profile (diagnosis app); read them defensively by name.
    for source in (getattr(profile, "answers", None), getattr(profile, "extra", None), profile.__dict__):
        if isinstance(source, dict):
            for name in names:
                if source.get(name) not in (None, ""):
                    return source[name]
    return None


def _state_name(code: str | None) -> str:
    from retorno.directory.catalogs import state_label

    return state_label(code) if code else ""


# key -> (label, getter(person, profile, event))
FIELDS: dict[str, tuple[Any, Callable]] = {
    "full_name": (_("Nombre"), lambda person, profile, event: person.full_name),
    "sex": (_("Sexo"), lambda person, profile, event: person.get_sex_display()),
    "age": (_("Edad"), lambda person, profile, event: profile.age),
    "birth_date": (
        _("Fecha de nacimiento"),
        lambda person, profile, event: person.birth_date.isoformat() if person.birth_date else "",
    ),
    "curp": (_("CURP"), lambda person, profile, event: person.curp),
    "phone": (_("Teléfono"), lambda person, profile, event: person.phone_mx or person.phone_us),
    "preferred_language": (_("Idioma preferido"), lambda person, profile, event: person.preferred_language),
    "origin_state": (
        _("Entidad de origen"),
        lambda person, profile, event: _state_name(profile.origin_state),
    ),
    "destination_state": (
        _("Entidad de destino"),
        lambda person, profile, event: _state_name(profile.destination_state),
    ),
    "destination_municipality": (
        _("Municipio de destino"),
        lambda person, profile, event: event.destination_municipality if event else "",
    ),
    "reception_point": (
        _("Punto de recepción"),
        lambda person, profile, event: event.reception_point.name if event else "",
    ),
    "documents_held": (
        _("Documentos que porta"),
        lambda person, profile, event: sorted(profile.documents_held),
    ),
    "needs": (_("Necesidades"), lambda person, profile, event: sorted(profile.needs)),
    "flags": (_("Grupos prioritarios"), lambda person, profile, event: sorted(profile.flags)),
    "trade": (_("Oficio"), lambda person, profile, event: _answer(profile, "trade", "occupation")),
    "years_experience": (
        _("Años de experiencia"),
        lambda person, profile, event: _answer(profile, "years_experience", "experience_years"),
    ),
    "education_level": (
        _("Escolaridad"),
        lambda person, profile, event: _answer(profile, "education_level", "schooling"),
    ),
    "health_conditions": (
        _("Condiciones de salud"),
        lambda person, profile, event: _answer(profile, "health_conditions", "health"),
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
    """Snapshot {key: value} of the person's data the service needs (JSON-serialisable)."""
    event = _event(person)
    data = {}
    for key in fields_for_service(service):
        value = FIELDS[key][1](person, profile, event)
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
