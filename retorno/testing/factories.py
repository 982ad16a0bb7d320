"""Plain factory functions for tests: each builds just what a test needs, with overridable defaults.

App-specific factories live in that app's tests/factories.py and build on these.
"""

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from retorno.accounts.models import ApiToken, Role, User
from retorno.directory.models import Institution
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reference.models import ReceptionPoint, State

_seq = itertools.count(1)


def make_state(code: str = "MN", name: str | None = None, **kw) -> State:
    state, _ = State.objects.get_or_create(code=code, defaults={"name": name or f"Estado {code}", **kw})
    return state


def make_point(code: str | None = None, state: State | None = None, **kw) -> ReceptionPoint:
    code = code or f"P{next(_seq)}"
    point, _ = ReceptionPoint.objects.get_or_create(
        code=code,
        defaults={
            "name": kw.pop("name", f"Punto {code}"),
            "city": kw.pop("city", code),
            "state": state or make_state("BC", "Baja California"),
            **kw,
        },
    )
    return point


def make_institution(code: str | None = None, **kw) -> Institution:
    code = code or f"INST{next(_seq)}"
    inst, _ = Institution.objects.get_or_create(
        code=code, defaults={"name": kw.pop("name", f"Institución {code}"), **kw}
    )
    return inst


def make_user(
    role: str = Role.RECEPTION_OFFICER,
    *,
    point: ReceptionPoint | None = None,
    institution: Institution | None = None,
    state: State | None = None,
    username: str | None = None,
    password: str = "pass-1234-word",
    **kw,
) -> User:
    if role == Role.RECEPTION_OFFICER and point is None:
        point = make_point()
    if role == Role.CASEWORKER and institution is None:
        institution = make_institution()
    user = User(
        username=username or f"user{next(_seq)}",
        role=role,
        reception_point=point,
        institution=institution,
        state=state,
        **kw,
    )
    user.set_password(password)
    if role == Role.ADMIN:
        user.is_staff = True
    user.save()
    return user


def make_token(user: User) -> str:
    return ApiToken.issue(user, "test")[1]


def api_client(user: User):
    """A test client that calls the API with a fresh bearer token of `user`."""
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Bearer {make_token(user)}")


def make_person(**kw) -> Person:
    defaults = dict(
        given_names="Juan",
        first_surname="Pérez",
        second_surname="López",
        sex="H",
        birth_date=date(1990, 5, 17),
    )
    defaults.update(kw)
    return Person.objects.create(**defaults)


def make_event(person: Person | None = None, point: ReceptionPoint | None = None, **kw) -> RepatriationEvent:
    """An arrival written directly (no registration rules). A minor is unaccompanied unless
    `accompanied_by` names the adult's event, as the registration would make it."""
    person = person or make_person()
    arrived_at = kw.pop("arrived_at", datetime(2026, 11, 2, 10, 30, tzinfo=ZoneInfo("America/Mexico_City")))
    age = kw.pop("age_at_arrival", None)
    if age is None and person.birth_date:
        d = arrived_at.date()
        b = person.birth_date
        age = d.year - b.year - ((d.month, d.day) < (b.month, b.day))
    kw.setdefault("minor", age is not None and age < 18)
    if kw["minor"] and kw.get("accompanied_by") is None:
        kw["unaccompanied_minor"] = True
    if kw.get("accompanied_by") is not None:
        kw.setdefault("accompanied_relationship", "other_relative")
    return RepatriationEvent.objects.create(
        person=person, reception_point=point or make_point(), arrived_at=arrived_at, age_at_arrival=age, **kw
    )
