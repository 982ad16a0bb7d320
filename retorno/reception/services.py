"""Reception desk operations: register an arrival (new or repeat returnee)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.access import require_point, require_role
from retorno.accounts.models import Role, User
from retorno.audit.services import audit_record
from retorno.core.exceptions import DomainError
from retorno.identity.curp import InvalidCurp, curp_validate
from retorno.identity.models import Person
from retorno.reception.models import FamilyGroup, RepatriationEvent
from retorno.reference.models import DocumentType, ReceptionPoint, State

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
    states = {}
    for name in ("birth_state", "destination_state"):
        code = getattr(data, name)
        if code:
            state = State.objects.filter(code=code.upper()).first()
            if state is None:
                errors.setdefault(name, []).append(MSG_UNKNOWN_STATE % {"code": code})
            states[name] = state
    known_docs = set(DocumentType.objects.filter(code__in=data.documents).values_list("code", flat=True))
    for code in data.documents:
        if code not in known_docs:
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
) -> RepatriationEvent:
    """Register an arrival: a new person, or a new event on an existing person (repeat returnee).

    Raises ValidationError (field -> messages) for bad data, DomainError for a double entry,
    AccessDenied when the point is outside the user's scope. Returns the new event.
    """
    require_role(user, Role.RECEPTION_OFFICER, Role.SUPERVISOR)
    require_point(user, data.reception_point)
    cleaned = _clean(data)
    if family_group is not None and family_group.reception_point_id != data.reception_point.pk:
        raise ValidationError({"family_group": [MSG_FAMILY_OTHER_POINT]})

    if existing_person_id is not None:
        person = Person.objects.select_for_update().filter(pk=existing_person_id).first()
        if person is None:
            raise ValidationError({"existing_person_id": [MSG_PERSON_NOT_FOUND]})
        while person.merged_into_id:  # a merged-away record: register on the surviving one
            person = Person.objects.select_for_update().get(pk=person.merged_into_id)
        _complete_person(person, data, cleaned, user)
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
        audit_record(
            user=user,
            action="create",
            obj=person,
            person_id=person.pk,
            reception_point_id=data.reception_point.pk,
        )

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
    audit_record(
        user=user,
        action="create",
        obj=event,
        person_id=person.pk,
        reception_point_id=data.reception_point.pk,
        detail={"repeat": not created_person, "unaccompanied_minor": data.unaccompanied_minor},
    )
    return event


def _complete_person(person: Person, data: ArrivalData, cleaned: dict, user: User) -> None:
    """Fill what the existing record lacks; never overwrite identity data silently."""
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
    if changed:
        person.save()
        audit_record(
            user=user,
            action="update",
            obj=person,
            person_id=person.pk,
            reception_point_id=data.reception_point.pk,
            detail={"fields": changed},
        )
