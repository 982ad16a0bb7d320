"""Demo arrivals at the pack's demo desk (Tijuana and Mexicali in Mexico: data/reference/<cc>/demo.yaml),
registered through arrival_register (valid, audited).

About 30 persons: repeat returnees with 2-3 events, one family group, two unaccompanied minors
(one handed over to DIF and closed, one pending). Idempotent: skipped when already loaded.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from retorno.accounts.models import User
from retorno.identity.models import Person
from retorno.identity.national_ids import national_id_scheme
from retorno.identity.national_ids.examples import example_number
from retorno.reception.models import RepatriationEvent
from retorno.reception.services import (
    ArrivalData,
    HandoverData,
    arrival_register,
    event_close,
    family_group_for_event,
    handover_record,
)
from retorno.reference.demo_pack import demo_desk, demo_pack
from retorno.reference.models import ReceptionPoint


def demo_national_id(given, first, second, sex, born, state, serial: int = 1) -> str:
    """A valid national id of the pack's scheme for an invented demo person."""
    return example_number(
        national_id_scheme().code,
        serial=serial,
        given=given,
        first=first,
        second=second,
        sex=sex,
        born=born,
        division=state,
    )


def _at(days_ago: int, hour: int = 10) -> datetime:
    now = timezone.localtime()
    return (now - timedelta(days=days_ago)).replace(hour=hour, minute=15, second=0, microsecond=0)


def _data(point, when, given, first, second, sex, born, state, dest, with_curp, **kw) -> ArrivalData:
    serial = kw.pop("serial", 1)
    return ArrivalData(
        reception_point=point,
        arrived_at=when,
        given_names=given,
        first_surname=first,
        second_surname=second,
        sex=sex,
        birth_date=born,
        birth_state=state,
        curp=demo_national_id(given, first, second, sex, born, state, serial) if with_curp else "",
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
    pack = demo_pack()
    if not pack.get("people"):
        log("  reception demo: none in this country pack")
        return
    main, second = demo_desk("point"), demo_desk("second_point")
    officers = {main: User.objects.get(username=demo_desk("officer"))}
    if second:
        officers[second] = User.objects.get(username=demo_desk("second_officer"))
    points = {p.code: p for p in ReceptionPoint.objects.filter(code__in=officers)}
    phone_prefix = str(pack.get("phone_prefix", ""))
    events = 0
    for i, (given, first, second_surname, sex, born, state, dest, code, days, with_curp) in enumerate(
        pack["people"]
    ):
        person_id = None
        for n, days_ago in enumerate(sorted(days, reverse=True)):
            data = _data(
                points[code],
                _at(days_ago, 8 + i % 10),
                given,
                first,
                second_surname,
                sex,
                born,
                state,
                dest,
                with_curp,
                phone_mx=f"{phone_prefix}{1000000 + i:07d}",
                notes=f"[demo] llegada {n + 1}",
                serial=1000 + i,
            )
            event = arrival_register(user=officers[code], data=data, existing_person_id=person_id)
            person_id = event.person_id
            events += 1
    tij, officer = points[main], officers[main]
    family = pack.get("family") or {}
    group_event = None
    for j, (given, first, second, sex, born, state, with_curp) in enumerate(family.get("members") or []):
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
            family.get("destination", state),
            with_curp,
            municipality=family.get("municipality", ""),
            notes="[demo] familia",
            serial=2000 + j,
        )
        event = arrival_register(user=officer, data=data, family_group=group)
        group_event = group_event or event
        events += 1
    for handed_over, (given, first, second, sex, born, state, with_curp) in zip(
        (True, False), pack.get("minors") or [], strict=False
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
            serial=3000 + handed_over,
        )
        event = arrival_register(user=officer, data=data)
        events += 1
        if handed_over:
            handover_record(
                user=officer,
                event_id=event.pk,
                data=HandoverData(
                    received_by_name=pack["handover"]["received_by_name"],
                    received_by_position=pack["handover"]["received_by_position"],
                    handed_over_at=when + timedelta(hours=3),
                    notes="[demo] Se entrega con su acta de nacimiento.",
                ),
            )
            event_close(user=officer, event_id=event.pk)
    log(f"  reception demo: {Person.objects.count()} persons, {events} arrivals")
