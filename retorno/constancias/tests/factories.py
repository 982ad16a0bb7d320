from retorno.accounts.models import Role
from retorno.testing.factories import make_event, make_person, make_point, make_user


def make_desk(code: str = "TIJ"):
    """A point with an officer, a supervisor and one event of a person with a CURP."""
    point = make_point(code, name=f"Punto {code}", city=f"Ciudad {code}")
    officer = make_user(Role.RECEPTION_OFFICER, point=point)
    supervisor = make_user(Role.SUPERVISOR, point=point)
    person = make_person(
        given_names="María Guadalupe",
        first_surname="García",
        second_surname="Hernández",
        sex="M",
        curp="",
    )
    event = make_event(person=person, point=point)
    return point, officer, supervisor, event
