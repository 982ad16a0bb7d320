"""A small, hand-countable dataset for bulletin tests (see KNOWN in the docstring of known_dataset)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from retorno.testing.factories import make_event, make_person, make_point, make_state

MX = ZoneInfo("America/Mexico_City")


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=MX)


def known_dataset() -> dict:
    """Events of October 2026 (and a few before/after) at two points, hand-counted:

    October 2026 (10 events, 9 persons):
      TIJ: juan (man 30, MN, his 3rd event), Mario (man 45, GR), Luis (man 30, MN, at 23:30 on
           Oct 31 local = Nov 1 UTC), Rosa (woman 62, no origin on the event, born OC),
           Tomás (boy 10, OC, unaccompanied), Ana (girl 15, OC, accompanied)            -> 6
      MXL: pedro (man 30, GR; merged into juan, so juan's 4th event), Beto (boy 16, MN,
           unaccompanied), Sin (man, age and state unknown)                            -> 3
      AICM (air): Vuela (man 36, GR)                                                      -> 1
    plus juan in Aug and Sep 2026 at TIJ and Vuela again on Nov 1 2026 00:30 local.
    By sex in October: 8 H, 2 M. Persons in October: 9 (juan counted once), of whom juan has
    4 events to date (3+), everybody else 1.
    """
    mn = make_state("MN", "Michoacán")
    oc = make_state("OC", "Oaxaca")
    gr = make_state("GR", "Guerrero")
    tij = make_point("TIJ", name="Tijuana", state=make_state("BC", "Baja California"))
    mxl = make_point("MXL", name="Mexicali", state=make_state("BC", "Baja California"))
    aicm = make_point("AICM", name="AICM", state=make_state("DF", "Ciudad de México"), mode="air")
    juan = make_person(given_names="Juan", birth_date=date(1996, 1, 1), birth_state=mn)
    pedro = make_person(given_names="Pedro", birth_date=date(1996, 1, 1))
    # Juan's history: Aug 2026 (1st), Sep 2026 (2nd), Oct 3 (3rd); Pedro (merged into Juan) Oct 20.
    make_event(juan, tij, arrived_at=at(2026, 8, 5), age_at_arrival=30, origin_state=mn)
    make_event(juan, tij, arrived_at=at(2026, 9, 5), age_at_arrival=30, origin_state=mn)
    make_event(juan, tij, arrived_at=at(2026, 10, 3), age_at_arrival=30, origin_state=mn)
    make_event(pedro, mxl, arrived_at=at(2026, 10, 20), age_at_arrival=30, origin_state=gr)
    pedro.merged_into = juan
    pedro.save()
    m1 = make_person(given_names="Mario", birth_date=date(1981, 3, 3))
    make_event(m1, tij, arrived_at=at(2026, 10, 7), age_at_arrival=45, origin_state=gr)
    m2 = make_person(given_names="Luis", birth_date=None)
    # 23:30 local on Oct 31 is Nov 1 in UTC: it must count in October.
    make_event(m2, tij, arrived_at=at(2026, 10, 31, 23, 30), age_at_arrival=30, origin_state=mn)
    rosa = make_person(given_names="Rosa", sex="M", birth_date=date(1964, 2, 2), birth_state=oc)
    grandmother = make_event(rosa, tij, arrived_at=at(2026, 10, 9), age_at_arrival=62)
    boy = make_person(given_names="Tomás", birth_date=date(2016, 1, 1))
    make_event(
        boy, tij, arrived_at=at(2026, 10, 10), age_at_arrival=10, unaccompanied_minor=True, origin_state=oc
    )
    girl = make_person(given_names="Ana", sex="M", birth_date=date(2011, 1, 1))
    make_event(
        girl, tij, arrived_at=at(2026, 10, 10), age_at_arrival=15, origin_state=oc, accompanied_by=grandmother
    )
    teen = make_person(given_names="Beto", birth_date=date(2010, 1, 1))
    make_event(
        teen, mxl, arrived_at=at(2026, 10, 11), age_at_arrival=16, unaccompanied_minor=True, origin_state=mn
    )
    nobody = make_person(given_names="Sin", birth_date=None)
    make_event(nobody, mxl, arrived_at=at(2026, 10, 12), age_at_arrival=None)  # no age, no state
    flyer = make_person(given_names="Vuela", birth_date=date(1990, 1, 1))
    make_event(flyer, aicm, arrived_at=at(2026, 10, 13), age_at_arrival=36, origin_state=gr, mode="air")
    # Outside October: November 1 local.
    make_event(flyer, aicm, arrived_at=at(2026, 11, 1, 0, 30), age_at_arrival=36, origin_state=gr, mode="air")
    return {"tij": tij, "mxl": mxl, "aicm": aicm, "juan": juan, "pedro": pedro, "states": (mn, oc, gr)}
