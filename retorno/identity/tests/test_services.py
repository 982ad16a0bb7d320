from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.identity.matching import MatchQuery
from retorno.identity.models import Person
from retorno.identity.selectors import person_search
from retorno.identity.services import (
    MSG_PHONE_INVALID,
    curp_feedback,
    mask_curp,
    person_candidates_search,
    person_update_contact,
)
from retorno.reception.demo import demo_national_id
from retorno.reception.services import MSG_PERSON_NOT_A_MATCH, existing_person_check
from retorno.reception.tests.factories import make_desk, register
from retorno.testing.factories import make_person, make_point, make_user

pytestmark = pytest.mark.django_db

CURP = demo_national_id("María Guadalupe", "Hernández", "López", "M", date(1988, 3, 9), "MN")


def test_candidates_from_other_point_show_minimal_data_and_search_is_audited():
    point, officer = make_desk("TIJ")
    register(officer, point, curp=CURP, phone_mx="6641112233")
    other_point, other_officer = make_desk("MXL")
    found = person_candidates_search(
        user=other_officer,
        query=MatchQuery(
            given_names="maria guadalupe", first_surname="HERNANDEZ", birth_date=date(1988, 3, 9)
        ),
    )
    assert len(found) == 1
    c = found[0]
    assert c.full_name == "María Guadalupe Hernández López" and c.arrivals == 1
    assert c.curp_masked.endswith(CURP[-4:]) and CURP[:14] not in c.curp_masked
    assert c.last_point == point.name
    assert not hasattr(c, "phone_mx")
    entry = AuditEntry.objects.get(action="search", user=other_officer)
    assert entry.detail["candidates"] == [c.person_id]


def test_candidate_search_refused_for_analyst():
    with pytest.raises(PermissionDenied):
        person_candidates_search(user=make_user(Role.ANALYST), query=MatchQuery(curp=CURP))


def test_mask_curp_keeps_last_four():
    assert mask_curp(CURP) == "•" * 14 + CURP[-4:]
    assert mask_curp("") == ""


def test_curp_feedback_names_the_disagreeing_part():
    fb = curp_feedback(
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="H",  # the CURP says M
        birth_date=date(1988, 3, 9),
        birth_state="MN",
        curp=CURP,
    )
    assert fb.valid and fb.disagreements == ("sex",)
    assert fb.stem == CURP[:10] + "H" + CURP[11:16]


def test_curp_feedback_gives_stem_hint_without_curp_and_flags_bad_checksum():
    data = dict(
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="M",
        birth_date=date(1988, 3, 9),
        birth_state="MN",
    )
    assert curp_feedback(**data, curp="").stem == CURP[:16]
    bad = CURP[:17] + ("0" if CURP[17] != "0" else "1")
    fb = curp_feedback(**data, curp=bad)
    assert fb.valid is False and fb.invalid_reason == "checksum"
    assert curp_feedback(**data, curp=CURP).disagreements == ()


def test_contact_update_validates_and_audits():
    point, officer = make_desk()
    event = register(officer, point)
    person = person_update_contact(
        user=officer, person_id=event.person_id, phone_mx="664 123 4567", phone_us="+1 (619) 555-0100"
    )
    assert person.phone_us == "+1 (619) 555-0100"
    assert AuditEntry.objects.filter(person_id=person.pk, action="update").exists()
    with pytest.raises(ValidationError) as exc:
        person_update_contact(user=officer, person_id=person.pk, phone_mx="call me", phone_us="")
    assert exc.value.message_dict["phone_mx"] == [MSG_PHONE_INVALID]
    person.refresh_from_db()
    assert person.phone_mx == "664 123 4567"


def test_contact_update_of_other_points_person_is_not_found():
    point, officer = make_desk("TIJ")
    event = register(officer, point)
    stranger = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    with pytest.raises(Person.DoesNotExist):
        person_update_contact(user=stranger, person_id=event.person_id, phone_mx="6641234567", phone_us="")


def test_existing_person_must_be_visible_or_a_match():
    point, officer = make_desk("TIJ")
    event = register(officer, point)
    _, other = make_desk("MXL")
    unrelated = MatchQuery(given_names="Pedro", first_surname="Zamora", birth_date=date(1970, 1, 1))
    with pytest.raises(ValidationError) as exc:
        existing_person_check(user=other, person_id=event.person_id, query=unrelated)
    assert exc.value.message_dict["existing_person_id"] == [MSG_PERSON_NOT_A_MATCH]
    similar = MatchQuery(
        given_names="Maria Guadalupe",
        first_surname="Hernandez",
        second_surname="Lopez",
        birth_date=date(1988, 3, 9),
    )
    existing_person_check(user=other, person_id=event.person_id, query=similar)
    existing_person_check(user=officer, person_id=event.person_id, query=unrelated)  # already visible


def test_person_search_ignores_accents_and_case_and_stays_in_scope():
    point, officer = make_desk("TIJ")
    event = register(officer, point)
    make_person(given_names="María", first_surname="Hernández")  # no event: nobody's scope
    assert list(person_search(officer, text="hernandez maria")) == [event.person]
    assert list(person_search(officer, text=CURP[:4] + "88")) == []
    assert list(person_search(officer, birth_date=date(1988, 3, 9))) == [event.person]


def test_person_search_lists_by_surnames_then_given_name_whatever_the_words():
    point, officer = make_desk("TIJ")
    people = [
        register(officer, point, given_names=g, first_surname=s1, second_surname=s2, birth_date=b).person
        for g, s1, s2, b in [
            ("Juan", "Pérez", "Zamora", date(1990, 1, 1)),
            ("Juan Carlos", "Pérez", "Álvarez", date(1991, 2, 2)),
            ("Luis", "Ochoa", "Pérez", date(1992, 3, 3)),
            ("Juan", "Ávila", "Pérez", date(1993, 4, 4)),
        ]
    ]
    by_keys = [people[3], people[2], people[1], people[0]]  # ÁVILA, OCHOA, PÉREZ ÁLVAREZ, PÉREZ ZAMORA
    # One word reads the ordered index; several words (or a birth date) sort by an expression:
    # both give the same order.
    assert list(person_search(officer, text="perez")) == by_keys
    assert list(person_search(officer, text="juan perez")) == [people[3], people[1], people[0]]
    assert list(person_search(officer, text="perez", birth_date=date(1992, 3, 3))) == [people[2]]
