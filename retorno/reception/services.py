"""Reception desk operations: register an arrival (new or repeat returnee), safeguard minors,
correct what was typed, and the desk's whole intake step (reception.intake uses these)."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import require_point
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, can, require
from retorno.audit.models import AccessReview, AuditEntry
from retorno.audit.services import audit_entry, audit_record, audit_record_all
from retorno.core.db import insert_all
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.identity.models import Person
from retorno.identity.national_ids import InvalidNationalId, national_id_scheme
from retorno.identity.national_ids.messages import national_id_invalid, national_id_taken
from retorno.identity.tickets import match_ticket_read
from retorno.reception.hooks import arrival_registered
from retorno.reception.models import (
    ChildProtectionHandover,
    EstimatedAge,
    FamilyGroup,
    Relationship,
    RepatriationEvent,
)
from retorno.reference.cache import reference_snapshot
from retorno.reference.models import ReceptionPoint
from retorno.reference.rules import age_on, duplicate_arrival_window, is_minor

MSG_GIVEN_NAMES_REQUIRED = _("Escriba el nombre o nombres de la persona.")
MSG_SURNAME_REQUIRED = _("Escriba al menos un apellido.")
MSG_SEX_INVALID = _("Seleccione el sexo (H o M).")
MSG_BIRTH_FUTURE = _("La fecha de nacimiento no puede ser futura.")
MSG_BIRTH_TOO_OLD = _("La fecha de nacimiento es anterior a 1900; revise el año.")
MSG_BIRTH_AFTER_ARRIVAL = _("La fecha de nacimiento es posterior a la llegada; revise ambas fechas.")
MSG_ARRIVAL_FUTURE = _("La fecha y hora de llegada no puede ser futura.")
MSG_UNACCOMPANIED_ADULT = _("Solo una persona menor de edad puede registrarse como no acompañada.")
MSG_AGE_ESTIMATE_REQUIRED = _(
    "Sin fecha de nacimiento, indique la edad aparente (0 a 11, 12 a 17, o 18 años o más)."
)
MSG_AGE_ESTIMATE_INVALID = _("Edad aparente no válida.")
MSG_COMPANION_NOT_IN_FAMILY = _("La persona acompañante debe llegar en el mismo grupo familiar.")
MSG_COMPANION_MINOR = _("La persona acompañante debe ser mayor de edad.")
MSG_RELATIONSHIP_REQUIRED = _("Indique el parentesco de la persona que acompaña al menor.")
MSG_RELATIONSHIP_INVALID = _("Parentesco no válido.")
MSG_UNKNOWN_DOCUMENT = _("Documento desconocido: %(code)s.")
MSG_UNKNOWN_STATE = _("Entidad desconocida: %(code)s.")
MSG_DUPLICATE_ARRIVAL = _(
    "Esta persona ya tiene un registro de llegada en este punto en las últimas horas "
    "(ventana de doble registro)."
)
MSG_DUPLICATE_NEW_PERSON = _(
    "Una persona con el mismo nombre, sexo y fecha de nacimiento se acaba de registrar en este "
    "punto; abra ese registro en lugar de crear otro."
)
MSG_PERSON_NOT_FOUND = _("La persona seleccionada no existe.")
MSG_FAMILY_OTHER_POINT = _("El grupo familiar pertenece a otro punto de recepción.")
MSG_ACCESS_REASON_REQUIRED = _(
    "Esta persona fue registrada en otro punto. Indique el motivo para abrir su expediente "
    "(queda en la bitácora y lo revisa la supervisión del punto)."
)
MSG_ACCESS_REASON_SHORT = _("Describa el motivo con al menos %(n)s caracteres.")
MSG_CORRECTION_REASON = _("Indique el motivo de la corrección.")
MSG_CLOSED_EVENT_CORRECTION = _("Un evento cerrado solo lo corrige la supervisión.")
MSG_NOTHING_TO_CORRECT = _("No hay cambios que guardar.")
MSG_NOT_CORRECTABLE = _("Este dato no se corrige aquí: %(field)s.")

# Clocks of tablets at the desk drift; allow a small margin before calling an arrival "future".
CLOCK_SKEW = timedelta(minutes=10)
ACCESS_REASON_MIN = 10
# The reasons the desk offers (a free text is always possible).
ACCESS_REASON_PRESENT = _("La persona está presente en este punto: nueva llegada.")
TEXT_LIMITS = {"notes": 2000, "destination_municipality": 120, "access_reason": 300}


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
    # Without a birth date: the apparent age (reference.rules.ESTIMATED_*).
    estimated_age_band: str = ""
    # A minor's adult companion: that adult's arrival in the same family group, and how related.
    accompanied_by_event_id: int | None = None
    accompanied_relationship: str = ""
    # Arriving with relatives: the event opens a family group the next members join.
    travelling_with_family: bool = False
    notes: str = ""


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
    arrival_day = (
        timezone.localtime(data.arrived_at).date()
        if timezone.is_aware(data.arrived_at)
        else data.arrived_at.date()
    )
    if data.birth_date and data.birth_date > today:
        errors.setdefault("birth_date", []).append(MSG_BIRTH_FUTURE)
    elif data.birth_date and data.birth_date > arrival_day:
        errors.setdefault("birth_date", []).append(MSG_BIRTH_AFTER_ARRIVAL)
    if data.birth_date and data.birth_date.year < 1900:
        errors.setdefault("birth_date", []).append(MSG_BIRTH_TOO_OLD)
    if data.arrived_at > timezone.now() + CLOCK_SKEW:
        errors.setdefault("arrived_at", []).append(MSG_ARRIVAL_FUTURE)
    if data.curp:
        try:
            data.curp = national_id_scheme().validate(data.curp)
        except InvalidNationalId as exc:
            errors.setdefault("curp", []).append(national_id_invalid(exc.reason))
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
    for name, limit in TEXT_LIMITS.items():
        value = getattr(data, name, None)
        if isinstance(value, str) and len(value) > limit:
            errors.setdefault(name, []).append(
                _("Texto demasiado largo (máximo %(n)s caracteres).") % {"n": limit}
            )
    if data.estimated_age_band and data.estimated_age_band not in EstimatedAge.values:
        errors.setdefault("estimated_age_band", []).append(MSG_AGE_ESTIMATE_INVALID)
    age = age_on(data.birth_date, arrival_day) if not errors.get("birth_date") and data.birth_date else None
    if data.birth_date:
        data.estimated_age_band = ""  # the birth date wins
    elif not data.estimated_age_band and not errors.get("birth_date"):
        errors.setdefault("estimated_age_band", []).append(MSG_AGE_ESTIMATE_REQUIRED)
    minor = bool(is_minor(age, data.estimated_age_band))
    if data.unaccompanied_minor and not minor and "estimated_age_band" not in errors:
        errors.setdefault("unaccompanied_minor", []).append(MSG_UNACCOMPANIED_ADULT)
    if data.accompanied_relationship and data.accompanied_relationship not in Relationship.values:
        errors.setdefault("accompanied_relationship", []).append(MSG_RELATIONSHIP_INVALID)
    if minor and data.accompanied_by_event_id and not data.accompanied_relationship:
        errors.setdefault("accompanied_relationship", []).append(MSG_RELATIONSHIP_REQUIRED)
    if errors:
        raise ValidationError(errors)
    return {"age": age, "minor": minor, **states}


def _companion(data: ArrivalData, minor: bool, family_group: FamilyGroup | None) -> RepatriationEvent | None:
    """The minor's adult companion (an adult's arrival in the same family group), or None: then
    the minor is unaccompanied, whatever the form said."""
    if not minor or not data.accompanied_by_event_id:
        return None
    companion = RepatriationEvent.objects.filter(pk=data.accompanied_by_event_id).first()
    if companion is None or family_group is None or companion.family_group_id != family_group.pk:
        raise ValidationError({"accompanied_by_event_id": [MSG_COMPANION_NOT_IN_FAMILY]})
    if companion.minor:
        raise ValidationError({"accompanied_by_event_id": [MSG_COMPANION_MINOR]})
    return companion


def national_id_facts(number: str) -> dict:
    """What a valid national id says about its holder (a CURP: birth date, sex and birth state;
    a CUI or DNI: the department of registration); {} when the text is not valid. The desk fills
    the fields still empty with them."""
    facts = national_id_scheme().facts(number or "")
    if facts is None:
        return {}
    found = {"sex": facts.sex, "birth_state": facts.division}
    if facts.birth_date:
        found["birth_date"] = date_format(facts.birth_date, "SHORT_DATE_FORMAT")
    return {key: value for key, value in found.items() if value}


def _name_keys(data: ArrivalData) -> Person:
    """An unsaved Person carrying the matching keys of the typed names."""
    probe = Person(
        given_names=data.given_names, first_surname=data.first_surname, second_surname=data.second_surname
    )
    probe.refresh_keys()
    return probe


def _lock_new_person(data: ArrivalData, probe: Person) -> None:
    """Serialise registrations of the same new person (same name keys, sex and birth date), so
    that two desks or two retried requests cannot both create them. PostgreSQL: a transaction
    advisory lock on those keys; SQLite serialises every write transaction already."""
    if connection.vendor != "postgresql":
        return
    text = "|".join(
        [probe.key_given, probe.key_first_surname, probe.key_second_surname, data.sex, str(data.birth_date)]
    )
    key = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _same_new_person_just_registered(data: ArrivalData, probe: Person) -> tuple[int, int] | None:
    """(event id, person id) of an arrival at this point within the double-entry window of a
    person with exactly these name keys, sex and birth date: the same person registered twice
    (a double submit, a retry, two desks at once); None when there is none."""
    window = duplicate_arrival_window()
    # Hand-written: this runs on every new person's registration, and compiling the two-model
    # ORM query cost about ten times what PostgreSQL spends answering it (0.03 ms).
    adapt = connection.ops.adapt_datetimefield_value
    sql = (
        f"SELECT e.id, e.person_id FROM {RepatriationEvent._meta.db_table} e "
        f"JOIN {Person._meta.db_table} p ON p.id = e.person_id "
        "WHERE e.reception_point_id = %s AND e.arrived_at >= %s AND e.arrived_at <= %s "
        "AND p.merged_into_id IS NULL AND p.key_first_surname = %s AND p.key_given = %s "
        "AND p.key_second_surname = %s AND p.sex = %s AND "
        + ("p.birth_date = %s " if data.birth_date else "p.birth_date IS NULL ")
        + "ORDER BY e.arrived_at DESC LIMIT 1"
    )
    params = [
        data.reception_point.pk,
        adapt(data.arrived_at - window),
        adapt(data.arrived_at + window),
        probe.key_first_surname,
        probe.key_given,
        probe.key_second_surname,
        data.sex,
    ] + ([connection.ops.adapt_datefield_value(data.birth_date)] if data.birth_date else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row


def _person_for_update(pk: int) -> Person | None:
    """The person `pk`, row-locked until the registration commits (None if there is none).
    Hand-written, like the queries below: the ORM's select_for_update().first() cost about 0.5 ms
    of CPU to build on every repeat returnee's registration."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    found = list(Person.objects.raw(f"SELECT * FROM {Person._meta.db_table} WHERE id = %s{lock}", [pk]))
    return found[0] if found else None


def _arrival_within(person_id: int, point_id: int, at, window) -> int | None:
    """Id of an arrival of the person at this point within `window` of `at` (a double entry)."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {RepatriationEvent._meta.db_table} WHERE person_id = %s AND "
            "reception_point_id = %s AND arrived_at >= %s AND arrived_at <= %s ORDER BY arrived_at DESC LIMIT 1",
            [person_id, point_id, adapt(at - window), adapt(at + window)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _access_reason_check(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"access_reason": [MSG_ACCESS_REASON_REQUIRED]})
    if len(reason) < ACCESS_REASON_MIN:
        raise ValidationError({"access_reason": [MSG_ACCESS_REASON_SHORT % {"n": ACCESS_REASON_MIN}]})
    return reason[: TEXT_LIMITS["access_reason"]]


def arrival_register(
    *,
    user: User,
    data: ArrivalData,
    existing_person_id: int | None = None,
    family_group: FamilyGroup | None = None,
    match_ticket: str = "",
    access_reason: str = "",
    savepoint: bool = True,
) -> RepatriationEvent:
    """Register an arrival: a new person, or a new event on an existing person (repeat returnee).

    An existing person must be in the user's scope, or have been shown to this user as a match
    candidate (`match_ticket` from the match search), or be a match candidate for the typed data
    (existing_person_check), so an arbitrary id cannot be used to reach another point's person;
    a person not yet in the user's scope is opened only with an `access_reason`, audited and
    queued for the point supervisor's review. A minor (by age, or by the apparent age when the
    birth date is unknown) is accompanied by a named adult of the same family group, or else
    unaccompanied. Publishes reception.hooks.arrival_registered (follow-up schedules from it).

    Raises ValidationError (field -> messages) for bad data, DomainError for a double entry
    (code duplicate_arrival, with the existing event's id), AccessDenied when the point is
    outside the user's scope. Returns the new event.

    All or nothing. `savepoint=False` for a caller whose whole request is the transaction and is
    rolled back on any error (the API): it saves two round trips per registration.
    """
    with transaction.atomic(savepoint=savepoint):
        return _arrival_register(user, data, existing_person_id, family_group, match_ticket, access_reason)


def _arrival_register(user, data, existing_person_id, family_group, match_ticket, access_reason):
    require(user, Perm.ARRIVAL_REGISTER)
    require_point(user, data.reception_point)
    cleaned = _clean(data)
    if family_group is not None and family_group.reception_point_id != data.reception_point.pk:
        raise ValidationError({"family_group": [MSG_FAMILY_OTHER_POINT]})

    trail = []  # audit entries, written in one INSERT at the end
    window = duplicate_arrival_window()
    if existing_person_id is not None:
        ticket = match_ticket_read(match_ticket, user=user, person_id=existing_person_id)
        if ticket is None:
            in_scope = existing_person_check(
                user=user, person_id=existing_person_id, query=_match_query_for(data)
            )
        else:
            in_scope = ticket.in_scope
        reason = "" if in_scope else _access_reason_check(access_reason)
        person = _person_for_update(existing_person_id)
        if person is None:
            raise ValidationError({"existing_person_id": [MSG_PERSON_NOT_FOUND]})
        while person.merged_into_id:  # a merged-away record: register on the surviving one
            person = _person_for_update(person.merged_into_id)
        trail += _complete_person(person, data, cleaned, user)
        recent = _arrival_within(person.pk, data.reception_point.pk, data.arrived_at, window)
        if recent is not None:
            raise DomainError(MSG_DUPLICATE_ARRIVAL, code="duplicate_arrival", extra={"event_id": recent})
        created_person = False
    else:
        reason = ""
        if data.curp and Person.objects.filter(curp=data.curp, merged_into__isnull=True).exists():
            raise ValidationError({"curp": [national_id_taken(suggest_match=True)]})
        probe = _name_keys(data)
        _lock_new_person(data, probe)
        twin = _same_new_person_just_registered(data, probe)
        if twin is not None:
            raise DomainError(
                MSG_DUPLICATE_NEW_PERSON,
                code="duplicate_arrival",
                extra={"event_id": twin[0], "person_id": twin[1]},
            )
        person = Person(
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
        person.refresh_keys()  # what Person.save() does; insert_all runs no save()
        insert_all([person])
        created_person = True
        trail.append(_desk_audit_entry(user, "create", person, person, data))

    if family_group is None and data.travelling_with_family:
        family_group = FamilyGroup.objects.create(reception_point=data.reception_point, created_by=user)
    companion = _companion(data, cleaned["minor"], family_group)
    event = RepatriationEvent(
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
        estimated_age_band=data.estimated_age_band,
        minor=cleaned["minor"],
        accompanied_by=companion,
        accompanied_relationship=data.accompanied_relationship if companion else "",
        unaccompanied_minor=cleaned["minor"] and companion is None,
        notes=data.notes,
        registered_by=user,
    )
    insert_all([event])
    # A new event has no DIF handover yet: say so, so that reading event.handover costs no query.
    RepatriationEvent.handover.related.set_cached_value(event, None)
    detail = {"repeat": not created_person, "unaccompanied_minor": event.unaccompanied_minor}
    if family_group is not None:
        detail["family_group"] = family_group.pk
    trail.append(_desk_audit_entry(user, "create", event, person, data, detail))
    if reason:
        access = _desk_audit_entry(
            user, AuditEntry.Action.ACCESS, person, person, data, {"reason": reason, "event": event.pk}
        )
        trail.append(access)
    audit_record_all(trail)
    if reason:
        AccessReview.objects.create(
            entry=access, reception_point_id=data.reception_point.pk, person_id=person.pk, reason=reason
        )
    arrival_registered.send(sender=RepatriationEvent, event=event, new_person=created_person)
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
    changed = {}
    if data.curp and not person.curp:
        if Person.objects.filter(curp=data.curp, merged_into__isnull=True).exclude(pk=person.pk).exists():
            raise ValidationError({"curp": [national_id_taken(suggest_match=True)]})
        changed["curp"] = ["", data.curp]
        person.curp, person.curp_validated = data.curp, True
    for name in ("phone_mx", "phone_us"):
        value = getattr(data, name).strip()
        if value and value != getattr(person, name):
            changed[name] = [getattr(person, name), value]
            setattr(person, name, value)
    if not person.birth_date and data.birth_date:
        changed["birth_date"] = [None, data.birth_date.isoformat()]
        person.birth_date = data.birth_date
    if not person.birth_state_id and cleaned.get("birth_state"):
        changed["birth_state"] = [None, cleaned["birth_state"].code]
        person.birth_state = cleaned["birth_state"]
    if not changed:
        return []
    person.save()
    return [
        _desk_audit_entry(
            user, "update", person, person, data, {"fields": sorted(changed), "changes": changed}
        )
    ]


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


def child_protection_agency() -> str:
    """The country's child-protection agency (DIF in Mexico), from the country profile."""
    from retorno.reference.country import country_profile

    return str(country_profile().get("child_protection_agency", "DIF"))


@dataclass
class HandoverData:
    received_by_name: str
    handed_over_at: datetime
    received_by_position: str = ""
    agency: str = ""  # default: child_protection_agency()
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
        agency=" ".join(data.agency.split()) or child_protection_agency(),
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


def existing_person_check(*, user: User, person_id: int, query) -> bool:
    """Refuse to attach an arrival to a person the user can neither see nor found by matching.

    Registering an arrival makes the person visible at the user's point, so an arbitrary id must
    not be accepted: the person must be in the user's scope already, or be one of the match
    candidates for the data typed (`query`, an identity.matching.MatchQuery). Returns True when
    the person was in scope, False when reached through the match; raises ValidationError on
    `existing_person_id` otherwise.
    """
    from retorno.identity.matching import person_match_candidates
    from retorno.identity.selectors import person_list_visible

    if person_list_visible(user).filter(pk=person_id).exists():
        return True
    if any(c.person_id == person_id for c in person_match_candidates(query, limit=20)):
        return False
    raise ValidationError({"existing_person_id": [MSG_PERSON_NOT_A_MATCH]})


# --- Corrections ---------------------------------------------------------------------------

EVENT_CORRECTABLE = (
    "arrived_at",
    "mode",
    "documents",
    "destination_state",
    "destination_municipality",
    "notes",
    "estimated_age_band",
    "accompanied_by_event_id",
    "accompanied_relationship",
)


def _history_value(value):
    if hasattr(value, "pk"):
        return getattr(value, "code", None) or value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


@transaction.atomic
def event_correct(*, user: User, event_id: int, changes: dict[str, Any], reason: str) -> RepatriationEvent:
    """Correct the fields of an arrival named in `changes` (EVENT_CORRECTABLE). The whole
    arrival is validated again as at the desk (dates, minors' accompaniment); the age at arrival
    and minority follow the new date. Old and new values go to the audit trail (the event page
    shows them as its history). A closed event is corrected by supervisors only (AccessDenied).
    Raises ValidationError, DomainError (nothing changed). Returns the event."""
    require(user, Perm.ARRIVAL_CORRECT)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [MSG_CORRECTION_REASON]})
    unknown = sorted(set(changes) - set(EVENT_CORRECTABLE))
    if unknown:
        raise ValidationError({unknown[0]: [MSG_NOT_CORRECTABLE % {"field": unknown[0]}]})
    event = _lock_event(user, event_id)
    if event.status == RepatriationEvent.Status.CLOSED and not can(user, Perm.ARRIVAL_CORRECT_CLOSED):
        raise AccessDenied(MSG_CLOSED_EVENT_CORRECTION)
    person = event.person
    data = ArrivalData(
        reception_point=event.reception_point,
        arrived_at=changes.get("arrived_at") or event.arrived_at,
        given_names=person.given_names,
        first_surname=person.first_surname,
        second_surname=person.second_surname,
        sex=person.sex,
        birth_date=person.birth_date,
        documents=list(changes.get("documents", event.documents) or []),
        destination_state=changes.get(
            "destination_state", event.destination_state.code if event.destination_state_id else ""
        )
        or "",
        destination_municipality=changes.get("destination_municipality", event.destination_municipality)
        or "",
        mode=changes.get("mode") or event.mode,
        estimated_age_band=changes.get("estimated_age_band", event.estimated_age_band) or "",
        accompanied_by_event_id=changes.get("accompanied_by_event_id", event.accompanied_by_id),
        accompanied_relationship=changes.get("accompanied_relationship", event.accompanied_relationship)
        or "",
        notes=changes.get("notes", event.notes) or "",
    )
    cleaned = _clean(data)
    companion = _companion(data, cleaned["minor"], event.family_group)
    new_values = {
        "arrived_at": data.arrived_at,
        "mode": data.mode,
        "documents": sorted(set(data.documents)),
        "destination_state": cleaned.get("destination_state"),
        "destination_municipality": data.destination_municipality.strip(),
        "notes": data.notes,
        "estimated_age_band": data.estimated_age_band,
        "age_at_arrival": cleaned["age"],
        "minor": cleaned["minor"],
        "accompanied_by": companion,
        "accompanied_relationship": data.accompanied_relationship if companion else "",
        "unaccompanied_minor": cleaned["minor"] and companion is None,
    }
    history = {}
    for name, value in new_values.items():
        old = getattr(event, name)
        if _history_value(old) != _history_value(value):
            history[name] = [_history_value(old), _history_value(value)]
            setattr(event, name, value)
    if not history:
        raise DomainError(MSG_NOTHING_TO_CORRECT, code="no_change")
    if event.unaccompanied_minor and event.status == RepatriationEvent.Status.CLOSED:
        if not ChildProtectionHandover.objects.filter(event=event).exists():
            event.status, event.closed_at = RepatriationEvent.Status.OPEN, None
            history["status"] = ["closed", "open"]
    event.save()
    _audit_on_event(user, "update", event, event, {"changes": history, "reason": reason})
    return event


MSG_POINT_REQUIRED = _("Indique el punto de recepción.")
MSG_UNKNOWN_POINT = _("Punto de recepción desconocido: %(code)s.")
