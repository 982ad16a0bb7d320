"""Reception desk operations: register an arrival (new or repeat returnee)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import require_point
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.services import audit_entry, audit_record, audit_record_all
from retorno.core.exceptions import DomainError
from retorno.followup.services import followup_schedule_for_event
from retorno.identity.curp import InvalidCurp, curp_validate
from retorno.identity.models import Person
from retorno.identity.tickets import match_ticket_valid
from retorno.reception.models import ChildProtectionHandover, FamilyGroup, RepatriationEvent
from retorno.reference.cache import reference_snapshot
from retorno.reference.models import ReceptionPoint

MSG_GIVEN_NAMES_REQUIRED = _("Escriba el nombre o nombres de la persona.")
MSG_SURNAME_REQUIRED = _("Escriba al menos un apellido.")
MSG_SEX_INVALID = _("Seleccione el sexo (H o M).")
MSG_BIRTH_FUTURE = _("La fecha de nacimiento no puede ser futura.")
MSG_BIRTH_TOO_OLD = _("La fecha de nacimiento es anterior a 1900; revise el año.")
MSG_ARRIVAL_FUTURE = _("La fecha y hora de llegada no puede ser futura.")
MSG_CURP_INVALID = {
    "length": _("La CURP debe tener 18 caracteres."),
    "format": _("La CURP no tiene el formato correcto (4 letras, 6 dígitos, 6 letras, 2 caracteres)."),
    "component": _("La CURP contiene una fecha, sexo o entidad no válidos."),
    "checksum": _("El dígito verificador de la CURP no corresponde; revise la captura."),
}
MSG_CURP_TAKEN = _("Esta CURP ya pertenece a otra persona registrada; use la coincidencia sugerida.")
MSG_UNACCOMPANIED_ADULT = _("Solo una persona menor de 18 años puede registrarse como no acompañada.")
MSG_UNKNOWN_DOCUMENT = _("Documento desconocido: %(code)s.")
MSG_UNKNOWN_STATE = _("Entidad desconocida: %(code)s.")
MSG_DUPLICATE_ARRIVAL = _(
    "Esta persona ya tiene un registro de llegada en este punto en las últimas 12 horas."
)
MSG_PERSON_NOT_FOUND = _("La persona seleccionada no existe.")
MSG_FAMILY_OTHER_POINT = _("El grupo familiar pertenece a otro punto de recepción.")

# A second registration of the same person at the same point within this window is a double entry.
DUPLICATE_WINDOW = timedelta(hours=12)
# Clocks of tablets at the desk drift; allow a small margin before calling an arrival "future".
CLOCK_SKEW = timedelta(minutes=10)


@dataclass
class ArrivalData:
    """What the desk captures for one arrival. Person fields are used for a new person and to
    complete (never overwrite) an existing one."""

    reception_point: ReceptionPoint
    arrived_at: datetime
    given_names: str
    first_surname: str = ""
    second_surname: str = ""
    sex: str = ""
    birth_date: date | None = None
    birth_state: str = ""  # CURP state code
    curp: str = ""
    phone_mx: str = ""
    phone_us: str = ""
    documents: list[str] = field(default_factory=list)
    destination_state: str = ""
    destination_municipality: str = ""
    mode: str = RepatriationEvent.Mode.LAND
    unaccompanied_minor: bool = False
    # Arriving with relatives: the event opens a family group the next members join.
    travelling_with_family: bool = False
    notes: str = ""


def age_on(born: date | None, on: date) -> int | None:
    """Whole years between `born` and `on`; None when the birth date is unknown."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _clean(data: ArrivalData) -> dict:
    """Validate and normalise; raise ValidationError with every field problem at once."""
    errors: dict[str, list] = {}
    data.given_names = " ".join(data.given_names.split())
    data.first_surname = " ".join(data.first_surname.split())
    data.second_surname = " ".join(data.second_surname.split())
    if not data.given_names:
        errors.setdefault("given_names", []).append(MSG_GIVEN_NAMES_REQUIRED)
    if not data.first_surname and not data.second_surname:
        errors.setdefault("first_surname", []).append(MSG_SURNAME_REQUIRED)
    if data.sex not in ("H", "M"):
        errors.setdefault("sex", []).append(MSG_SEX_INVALID)
    today = timezone.localdate()
    if data.birth_date and data.birth_date > today:
        errors.setdefault("birth_date", []).append(MSG_BIRTH_FUTURE)
    if data.birth_date and data.birth_date.year < 1900:
        errors.setdefault("birth_date", []).append(MSG_BIRTH_TOO_OLD)
    if data.arrived_at > timezone.now() + CLOCK_SKEW:
        errors.setdefault("arrived_at", []).append(MSG_ARRIVAL_FUTURE)
    if data.curp:
        try:
            data.curp = curp_validate(data.curp)
        except InvalidCurp as exc:
            errors.setdefault("curp", []).append(MSG_CURP_INVALID[exc.reason])
    reference = reference_snapshot()
    states = {}
    for name in ("birth_state", "destination_state"):
        code = getattr(data, name)
        if code:
            state = reference.states_by_code.get(code.upper())
            if state is None:
                errors.setdefault(name, []).append(MSG_UNKNOWN_STATE % {"code": code})
            states[name] = state
    for code in data.documents:
        if code not in reference.document_codes:
            errors.setdefault("documents", []).append(MSG_UNKNOWN_DOCUMENT % {"code": code})
    age = age_on(data.birth_date, data.arrived_at.date()) if not errors.get("birth_date") else None
    if data.unaccompanied_minor and (age is None or age >= 18):
        errors.setdefault("unaccompanied_minor", []).append(MSG_UNACCOMPANIED_ADULT)
    if errors:
        raise ValidationError(errors)
    return {"age": age, **states}


@transaction.atomic
def arrival_register(
    *,
    user: User,
    data: ArrivalData,
    existing_person_id: int | None = None,
    family_group: FamilyGroup | None = None,
    match_ticket: str = "",
) -> RepatriationEvent:
    """Register an arrival: a new person, or a new event on an existing person (repeat returnee).

    An existing person must be in the user's scope, or have been shown to this user as a match
    candidate (`match_ticket` from the match search), or be a match candidate for the typed data
    (existing_person_check), so an arbitrary id cannot be used to reach another point's person.
    Schedules the follow-up contacts of the new event. Raises ValidationError (field -> messages)
    for bad data, DomainError for a double entry, AccessDenied when the point is outside the
    user's scope. Returns the new event.
    """
    require(user, Perm.ARRIVAL_REGISTER)
    require_point(user, data.reception_point)
    cleaned = _clean(data)
    if family_group is not None and family_group.reception_point_id != data.reception_point.pk:
        raise ValidationError({"family_group": [MSG_FAMILY_OTHER_POINT]})

    trail = []  # audit entries, written in one INSERT at the end
    if existing_person_id is not None:
        if not match_ticket_valid(match_ticket, user=user, person_id=existing_person_id):
            existing_person_check(user=user, person_id=existing_person_id, query=_match_query_for(data))
        person = Person.objects.select_for_update().filter(pk=existing_person_id).first()
        if person is None:
            raise ValidationError({"existing_person_id": [MSG_PERSON_NOT_FOUND]})
        while person.merged_into_id:  # a merged-away record: register on the surviving one
            person = Person.objects.select_for_update().get(pk=person.merged_into_id)
        trail += _complete_person(person, data, cleaned, user)
        recent = RepatriationEvent.objects.filter(
            person=person,
            reception_point=data.reception_point,
            arrived_at__gte=data.arrived_at - DUPLICATE_WINDOW,
            arrived_at__lte=data.arrived_at + DUPLICATE_WINDOW,
        )
        if recent.exists():
            raise DomainError(MSG_DUPLICATE_ARRIVAL, code="duplicate_arrival")
        created_person = False
    else:
        if data.curp and Person.objects.filter(curp=data.curp, merged_into__isnull=True).exists():
            raise ValidationError({"curp": [MSG_CURP_TAKEN]})
        person = Person.objects.create(
            given_names=data.given_names,
            first_surname=data.first_surname,
            second_surname=data.second_surname,
            sex=data.sex,
            birth_date=data.birth_date,
            birth_state=cleaned.get("birth_state"),
            curp=data.curp,
            curp_validated=bool(data.curp),
            phone_mx=data.phone_mx.strip(),
            phone_us=data.phone_us.strip(),
            created_by=user,
        )
        created_person = True
        trail.append(_desk_audit_entry(user, "create", person, person, data))

    if family_group is None and data.travelling_with_family:
        family_group = FamilyGroup.objects.create(reception_point=data.reception_point, created_by=user)
    event = RepatriationEvent.objects.create(
        person=person,
        reception_point=data.reception_point,
        arrived_at=data.arrived_at,
        mode=data.mode,
        documents=sorted(set(data.documents)),
        origin_state=cleaned.get("birth_state") or person.birth_state,
        destination_state=cleaned.get("destination_state"),
        destination_municipality=data.destination_municipality.strip(),
        family_group=family_group,
        age_at_arrival=cleaned["age"],
        unaccompanied_minor=data.unaccompanied_minor,
        notes=data.notes,
        registered_by=user,
    )
    # A new event has no DIF handover yet: say so, so that reading event.handover costs no query.
    RepatriationEvent.handover.related.set_cached_value(event, None)
    detail = {"repeat": not created_person, "unaccompanied_minor": data.unaccompanied_minor}
    if family_group is not None:
        detail["family_group"] = family_group.pk
    trail.append(_desk_audit_entry(user, "create", event, person, data, detail))
    audit_record_all(trail)
    # Seguimiento starts with the arrival: contacts at 1, 3, 6, 12 months (followup.yaml).
    followup_schedule_for_event(event, new_event=True, new_person=created_person)
    return event


def arrival_overruled_match_report(*, user: User, event: RepatriationEvent, data: ArrivalData) -> list:
    """The officer registered a new person although the desk proposed likely matches ("otra
    persona"): the new record and each candidate at or above the review threshold go to the
    identity review queue, for a supervisor to confirm or merge. Returns the review pairs."""
    from retorno.identity.matching import person_match_candidates
    from retorno.linkage.services import review_pairs_from_desk

    candidates = person_match_candidates(_match_query_for(data))
    return review_pairs_from_desk(user=user, person=event.person, candidates=candidates)


def _match_query_for(data: ArrivalData):
    from retorno.identity.matching import MatchQuery

    return MatchQuery(
        given_names=data.given_names,
        first_surname=data.first_surname,
        second_surname=data.second_surname,
        sex=data.sex,
        birth_date=data.birth_date,
        birth_state=(data.birth_state or "").upper(),
        curp=(data.curp or "").upper(),
    )


def _complete_person(person: Person, data: ArrivalData, cleaned: dict, user: User) -> list:
    """Fill what the existing record lacks; never overwrite identity data silently. Returns the
    unsaved audit entries of the change (none when nothing changed)."""
    changed = []
    if data.curp and not person.curp:
        if Person.objects.filter(curp=data.curp, merged_into__isnull=True).exclude(pk=person.pk).exists():
            raise ValidationError({"curp": [MSG_CURP_TAKEN]})
        person.curp, person.curp_validated = data.curp, True
        changed.append("curp")
    for name in ("phone_mx", "phone_us"):
        value = getattr(data, name).strip()
        if value and value != getattr(person, name):
            setattr(person, name, value)
            changed.append(name)
    if not person.birth_date and data.birth_date:
        person.birth_date = data.birth_date
        changed.append("birth_date")
    if not person.birth_state_id and cleaned.get("birth_state"):
        person.birth_state = cleaned["birth_state"]
        changed.append("birth_state")
    if not changed:
        return []
    person.save()
    return [_desk_audit_entry(user, "update", person, person, data, {"fields": changed})]


def _desk_audit_entry(user: User, action: str, obj, person: Person, data: ArrivalData, detail=None):
    """An unsaved audit entry of a registration step, filed under the person and the point."""
    return audit_entry(
        user=user,
        action=action,
        obj=obj,
        person_id=person.pk,
        reception_point_id=data.reception_point.pk,
        detail=detail,
    )


MSG_HANDOVER_NOT_MINOR = _(
    "Solo se registra la entrega a protección de la infancia de una persona menor de edad."
)
MSG_HANDOVER_EXISTS = _("La entrega de este menor ya fue registrada.")
MSG_HANDOVER_NAME_REQUIRED = _("Escriba el nombre de quien recibe al menor.")
MSG_HANDOVER_FUTURE = _("La fecha y hora de entrega no puede ser futura.")
MSG_HANDOVER_BEFORE_ARRIVAL = _("La entrega no puede ser anterior a la llegada.")
MSG_EVENT_ALREADY_CLOSED = _("Este evento ya está cerrado.")
MSG_CLOSE_NEEDS_HANDOVER = _(
    "No se puede cerrar: el menor no acompañado aún no ha sido entregado a protección de la "
    "infancia (DIF). Registre primero la entrega."
)


def _lock_event(user: User, event_id: int) -> RepatriationEvent:
    """The event, row-locked, if the user's scope reaches it; raises DoesNotExist otherwise."""
    from retorno.reception.selectors import event_list_visible

    visible = event_list_visible(user).filter(pk=event_id).values("pk")
    return RepatriationEvent.objects.select_for_update().get(pk__in=visible)


def _audit_on_event(user: User, action: str, obj, event: RepatriationEvent, detail: dict) -> None:
    """Audit a change made through an event, filed under the event's person and point."""
    audit_record(
        user=user,
        action=action,
        obj=obj,
        person_id=event.person_id,
        reception_point_id=event.reception_point_id,
        detail=detail,
    )


@dataclass
class HandoverData:
    received_by_name: str
    handed_over_at: datetime
    received_by_position: str = ""
    agency: str = "DIF"
    notes: str = ""


@transaction.atomic
def handover_record(*, user: User, event_id: int, data: HandoverData) -> ChildProtectionHandover:
    """Record that a minor was handed over to the child-protection agency (DIF).

    Raises RepatriationEvent.DoesNotExist when the event is outside the user's scope,
    AccessDenied for roles that do not work the desk, ValidationError for bad data and
    DomainError when the event is not a minor's or the handover already exists.
    """
    require(user, Perm.ARRIVAL_HANDLE)
    event = _lock_event(user, event_id)
    if not event.is_minor:
        raise DomainError(MSG_HANDOVER_NOT_MINOR, code="not_minor")
    if ChildProtectionHandover.objects.filter(event=event).exists():
        raise DomainError(MSG_HANDOVER_EXISTS, code="handover_exists")
    errors: dict[str, list] = {}
    name = " ".join(data.received_by_name.split())
    if not name:
        errors["received_by_name"] = [MSG_HANDOVER_NAME_REQUIRED]
    if data.handed_over_at > timezone.now() + CLOCK_SKEW:
        errors["handed_over_at"] = [MSG_HANDOVER_FUTURE]
    elif data.handed_over_at < event.arrived_at:
        errors["handed_over_at"] = [MSG_HANDOVER_BEFORE_ARRIVAL]
    if errors:
        raise ValidationError(errors)
    handover = ChildProtectionHandover.objects.create(
        event=event,
        agency=" ".join(data.agency.split()) or "DIF",
        received_by_name=name,
        received_by_position=" ".join(data.received_by_position.split()),
        handed_over_at=data.handed_over_at,
        notes=data.notes.strip(),
        recorded_by=user,
    )
    _audit_on_event(user, "create", handover, event, {"event": event.pk})
    return handover


@transaction.atomic
def event_close(*, user: User, event_id: int) -> RepatriationEvent:
    """Close an arrival once reception is done.

    An unaccompanied minor's event cannot be closed before the handover to DIF is recorded
    (DomainError MSG_CLOSE_NEEDS_HANDOVER); a closed event cannot be closed again. Raises
    RepatriationEvent.DoesNotExist outside the user's scope. Returns the closed event.
    """
    require(user, Perm.ARRIVAL_HANDLE)
    event = _lock_event(user, event_id)
    if event.status == RepatriationEvent.Status.CLOSED:
        raise DomainError(MSG_EVENT_ALREADY_CLOSED, code="already_closed")
    if event.unaccompanied_minor and not ChildProtectionHandover.objects.filter(event=event).exists():
        raise DomainError(MSG_CLOSE_NEEDS_HANDOVER, code="handover_required")
    event.status = RepatriationEvent.Status.CLOSED
    event.closed_at = timezone.now()
    event.closed_by = user
    event.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    _audit_on_event(user, "update", event, event, {"status": "closed"})
    return event


@transaction.atomic
def family_group_for_event(*, user: User, event_id: int) -> FamilyGroup:
    """The family group of an event, created (and the event attached) when it has none, so that
    the next family member registered at the desk joins the same group."""
    require(user, Perm.ARRIVAL_REGISTER)
    event = _lock_event(user, event_id)
    if event.family_group_id:
        return event.family_group
    group = FamilyGroup.objects.create(reception_point=event.reception_point, created_by=user)
    event.family_group = group
    event.save(update_fields=["family_group", "updated_at"])
    _audit_on_event(user, "update", event, event, {"family_group": group.pk})
    return group


MSG_PERSON_NOT_A_MATCH = _(
    "La persona seleccionada no coincide con los datos capturados; búsquela de nuevo o cree un "
    "registro nuevo."
)


def existing_person_check(*, user: User, person_id: int, query) -> None:
    """Refuse to attach an arrival to a person the user can neither see nor found by matching.

    Registering an arrival makes the person visible at the user's point, so an arbitrary id must
    not be accepted: the person must be in the user's scope already, or be one of the match
    candidates for the data typed (`query`, an identity.matching.MatchQuery). Raises
    ValidationError on `existing_person_id` otherwise.
    """
    from retorno.identity.matching import person_match_candidates
    from retorno.identity.selectors import person_list_visible

    if person_list_visible(user).filter(pk=person_id).exists():
        return
    if any(c.person_id == person_id for c in person_match_candidates(query, limit=20)):
        return
    raise ValidationError({"existing_person_id": [MSG_PERSON_NOT_A_MATCH]})


MSG_POINT_REQUIRED = _("Indique el punto de recepción.")
MSG_UNKNOWN_POINT = _("Punto de recepción desconocido: %(code)s.")
