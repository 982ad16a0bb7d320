"""Reception test helpers: arrival data and registered arrivals through the real service."""

from datetime import date, timedelta

from django.utils import timezone

from retorno.accounts.models import Role
from retorno.reception.services import ArrivalData, arrival_register
from retorno.testing.factories import make_point, make_state, make_user


def arrival_data(point, **kw) -> ArrivalData:
    defaults = dict(
        reception_point=point,
        arrived_at=timezone.now() - timedelta(minutes=30),
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="M",
        birth_date=date(1988, 3, 9),
        birth_state="MN",
    )
    defaults.update(kw)
    return ArrivalData(**defaults)


def make_desk(code: str = "TIJ"):
    """A point with its reception officer (states MN and BC exist)."""
    make_state("MN", "Michoacán")
    point = make_point(code, state=make_state("BC", "Baja California"))
    return point, make_user(Role.RECEPTION_OFFICER, point=point)


def register(officer, point, **kw):
    existing = kw.pop("existing_person_id", None)
    group = kw.pop("family_group", None)
    return arrival_register(
        user=officer, data=arrival_data(point, **kw), existing_person_id=existing, family_group=group
    )


def register_minor(officer, point, **kw):
    kw.setdefault("given_names", "Kevin")
    kw.setdefault("first_surname", "Luna")
    kw.setdefault("second_surname", "Cortés")
    kw.setdefault("sex", "H")
    kw.setdefault(
        "birth_date", timezone.localdate().replace(year=timezone.localdate().year - 14) - timedelta(days=40)
    )
    kw.setdefault("unaccompanied_minor", True)
    return register(officer, point, **kw)
