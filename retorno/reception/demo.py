"""Demo arrivals at Tijuana and Mexicali, registered through arrival_register (valid, audited).

About 30 persons: repeat returnees with 2-3 events, one family group, two unaccompanied minors
(one handed over to DIF and closed, one pending). Idempotent: skipped when already loaded.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.utils import timezone
from stdnum.mx import curp as stdnum_curp

from retorno.accounts.models import User
from retorno.identity.curp import CurpStemInput, curp_stem
from retorno.identity.models import Person
from retorno.reception.models import RepatriationEvent
from retorno.reception.services import (
    ArrivalData,
    HandoverData,
    arrival_register,
    event_close,
    family_group_for_event,
    handover_record,
)
from retorno.reference.models import ReceptionPoint

# given names, first surname, second surname, sex, birth date, birth state, destination,
# point, days ago of each arrival (several = repeat returnee), with CURP?
PEOPLE = [
    ("Juan Carlos", "Hernández", "López", "H", date(1985, 4, 12), "MN", "MN", "TIJ", [400, 35], True),
    ("María Guadalupe", "García", "Martínez", "M", date(1990, 9, 3), "GT", "GT", "TIJ", [3], True),
    ("José Luis", "Martínez", "Ramírez", "H", date(1978, 1, 22), "OC", "OC", "TIJ", [720, 300, 20], True),
    ("Rosa María", "López", "Sánchez", "M", date(1982, 6, 30), "GR", "BC", "TIJ", [15], False),
    ("Pedro", "González", "Pérez", "H", date(1995, 11, 5), "PL", "PL", "TIJ", [12], True),
    ("Ana Laura", "Rodríguez", "Flores", "M", date(1999, 2, 14), "JC", "JC", "TIJ", [10], False),
    ("Miguel Ángel", "Sánchez", "Cruz", "H", date(1988, 7, 19), "ZS", "ZS", "TIJ", [200, 9], True),
    ("Francisco Javier", "Ramírez", "Gómez", "H", date(1975, 3, 8), "SL", "SL", "TIJ", [8], False),
    ("Verónica", "Cruz", "Morales", "M", date(1993, 12, 1), "VZ", "VZ", "TIJ", [7], True),
    ("Jesús", "Flores", "Ortiz", "H", date(2001, 5, 27), "CS", "BC", "TIJ", [6], False),
    ("Alejandro", "Gómez", "Reyes", "H", date(1987, 10, 10), "DF", "DF", "TIJ", [5], True),
    ("Claudia", "Morales", "Jiménez", "M", date(1991, 8, 16), "MC", "MC", "TIJ", [4], False),
    ("Ricardo", "Reyes", "Torres", "H", date(1980, 2, 29), "HG", "HG", "TIJ", [2], True),
    ("Fernando", "Jiménez", "Vázquez", "H", date(1992, 4, 2), "SR", "SR", "MXL", [500, 14], True),
    ("Patricia", "Torres", "Ruiz", "M", date(1984, 1, 17), "SP", "SP", "MXL", [11], False),
    ("Roberto", "Vázquez", "Mendoza", "H", date(1979, 9, 9), "DG", "DG", "MXL", [10], True),
    ("Gabriela", "Ruiz", "Aguilar", "M", date(1997, 3, 3), "NT", "NT", "MXL", [9], False),
    ("Arturo", "Mendoza", "Castillo", "H", date(1983, 6, 6), "CH", "CH", "MXL", [300, 60, 8], True),
    ("Leticia", "Aguilar", "Romero", "M", date(1986, 12, 24), "TS", "TS", "MXL", [7], False),
    ("Eduardo", "Castillo", "Herrera", "H", date(1994, 10, 31), "YN", "YN", "MXL", [6], True),
    ("Silvia", "Romero", "Medina", "M", date(1972, 5, 5), "QT", "QT", "MXL", [5], False),
    ("Héctor", "Herrera", "Núñez", "H", date(1990, 1, 1), "AS", "AS", "MXL", [4], True),
    ("Adriana", "Medina", "Peña", "M", date(2000, 7, 7), "TL", "TL", "MXL", [3], False),
    ("Jorge", "Peña", "Domínguez", "H", date(1981, 11, 11), "MS", "MS", "MXL", [2], True),
]
# The family arriving together at Tijuana: parents and an accompanied child (same group).
FAMILY = [
    ("Raúl", "Domínguez", "Ibarra", "H", date(1983, 2, 2), "MN", True),
    ("Lucía", "Salazar", "Vega", "M", date(1986, 4, 4), "MN", False),
    ("Sofía", "Domínguez", "Salazar", "M", date(2015, 6, 6), "MN", False),
]
# Unaccompanied minors at Tijuana: the first is handed over to DIF and closed, the second pending.
MINORS = [
    ("Kevin", "Luna", "Cortés", "H", date(2010, 3, 15), "GR", True),
    ("Daniela", "Ríos", "Campos", "M", date(2011, 8, 20), "OC", False),
]


def demo_curp(given, first, second, sex, born, state) -> str:
    """A structurally valid CURP for demo data (homonym character 0/A, correct check digit)."""
    head = curp_stem(CurpStemInput(given, first, second, sex, born, state))
    head += "A" if born.year >= 2000 else "0"
    return head + stdnum_curp.calc_check_digit(head)


def _at(days_ago: int, hour: int = 10) -> datetime:
    now = timezone.localtime()
    return (now - timedelta(days=days_ago)).replace(hour=hour, minute=15, second=0, microsecond=0)


def _data(point, when, given, first, second, sex, born, state, dest, with_curp, **kw) -> ArrivalData:
    return ArrivalData(
        reception_point=point,
        arrived_at=when,
        given_names=given,
        first_surname=first,
        second_surname=second,
        sex=sex,
        birth_date=born,
        birth_state=state,
        curp=demo_curp(given, first, second, sex, born, state) if with_curp else "",
        destination_state=dest,
        destination_municipality=kw.pop("municipality", ""),
        documents=kw.pop("documents", ["deportation_order"]),
        phone_mx=kw.pop("phone_mx", ""),
        **kw,
    )


def load(log: Callable[[str], None]) -> None:
    if RepatriationEvent.objects.filter(notes__startswith="[demo]").exists():
        log("  reception demo: already loaded")
        return
    officers = {
        "TIJ": User.objects.get(username="oficial.tijuana"),
        "MXL": User.objects.get(username="oficial.mexicali"),
    }
    points = {p.code: p for p in ReceptionPoint.objects.filter(code__in=officers)}
    events = 0
    for i, (given, first, second, sex, born, state, dest, code, days, with_curp) in enumerate(PEOPLE):
        person_id = None
        for n, days_ago in enumerate(sorted(days, reverse=True)):
            data = _data(
                points[code],
                _at(days_ago, 8 + i % 10),
                given,
                first,
                second,
                sex,
                born,
                state,
                dest,
                with_curp,
                phone_mx=f"664{1000000 + i:07d}",
                notes=f"[demo] llegada {n + 1}",
            )
            event = arrival_register(user=officers[code], data=data, existing_person_id=person_id)
            person_id = event.person_id
            events += 1
    tij, officer = points["TIJ"], officers["TIJ"]
    group_event = None
    for given, first, second, sex, born, state, with_curp in FAMILY:
        group = family_group_for_event(user=officer, event_id=group_event.pk) if group_event else None
        data = _data(
            tij,
            _at(1, 9),
            given,
            first,
            second,
            sex,
            born,
            state,
            "MN",
            with_curp,
            municipality="Morelia",
            notes="[demo] familia",
        )
        event = arrival_register(user=officer, data=data, family_group=group)
        group_event = group_event or event
        events += 1
    for handed_over, (given, first, second, sex, born, state, with_curp) in zip(
        (True, False), MINORS, strict=True
    ):
        when = _at(2, 7) if handed_over else timezone.now().replace(microsecond=0) - timedelta(hours=1)
        data = _data(
            tij,
            when,
            given,
            first,
            second,
            sex,
            born,
            state,
            state,
            with_curp,
            unaccompanied_minor=True,
            documents=["birth_certificate"],
            notes="[demo] menor no acompañado",
        )
        event = arrival_register(user=officer, data=data)
        events += 1
        if handed_over:
            handover_record(
                user=officer,
                event_id=event.pk,
                data=HandoverData(
                    received_by_name="Lic. Mónica Treviño",
                    received_by_position="Trabajadora social, DIF Baja California",
                    handed_over_at=when + timedelta(hours=3),
                    notes="[demo] Se entrega con su acta de nacimiento.",
                ),
            )
            event_close(user=officer, event_id=event.pk)
    log(f"  reception demo: {Person.objects.count()} persons, {events} arrivals")
