import pytest

from retorno.accounts.access import points_in_scope
from retorno.accounts.models import Role
from retorno.identity.selectors import person_list_visible
from retorno.testing.factories import make_event, make_point, make_state, make_user

pytestmark = pytest.mark.django_db


def test_officer_sees_only_people_of_their_point():
    tij, mxl = make_point("TIJ"), make_point("MXL")
    mine = make_event(point=tij).person
    other = make_event(point=mxl).person
    officer = make_user(Role.RECEPTION_OFFICER, point=tij)
    visible = set(person_list_visible(officer))
    assert mine in visible and other not in visible


def test_state_supervisor_sees_every_point_in_the_state_only():
    bc, son = make_state("BC"), make_state("SR")
    tij, mxl, nog = make_point("TIJ", bc), make_point("MXL", bc), make_point("NOG", son)
    sup = make_user(Role.SUPERVISOR, state=bc)
    assert set(points_in_scope(sup)) == {tij, mxl}
    assert nog not in points_in_scope(sup)


def test_analyst_and_caseworker_reach_no_personal_data():
    make_event()
    for role in (Role.ANALYST, Role.CASEWORKER):
        assert not person_list_visible(make_user(role)).exists()


def test_child_protection_sees_only_minors():
    point = make_point("TIJ")
    minor = make_event(point=point, age_at_arrival=15, unaccompanied_minor=True).person
    adult = make_event(point=point, age_at_arrival=40).person
    cp = make_user(Role.CHILD_PROTECTION, point=point)
    visible = set(person_list_visible(cp))
    assert minor in visible and adult not in visible
