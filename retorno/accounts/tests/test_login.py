import pytest
from django.test import Client

from retorno.accounts.access import require_personal_data
from retorno.accounts.models import Role
from retorno.core.exceptions import AccessDenied
from retorno.testing.factories import make_point, make_user

pytestmark = pytest.mark.django_db


def test_login_with_wrong_password_says_so_and_stays_out():
    make_user(username="ana", password="right-password-1")
    c = Client()
    r = c.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    assert r.status_code == 200 and "Usuario o contraseña incorrectos." in r.content.decode()
    assert c.get("/").status_code == 302


def test_login_then_logout():
    make_user(username="ana", password="right-password-1")
    c = Client()
    r = c.post("/accounts/login/", {"username": "ana", "password": "right-password-1"})
    assert r.status_code == 302 and r.url == "/"
    assert c.get("/").status_code == 200
    c.post("/accounts/logout/")
    assert c.get("/").status_code == 302


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.RECEPTION_OFFICER, True),
        (Role.SUPERVISOR, True),
        (Role.CHILD_PROTECTION, True),
        (Role.ADMIN, True),
        (Role.CASEWORKER, False),
        (Role.ANALYST, False),
    ],
)
def test_require_personal_data_by_role(role, allowed):
    user = make_user(role, point=make_point("TIJ") if role == Role.RECEPTION_OFFICER else None)
    if allowed:
        require_personal_data(user)
    else:
        with pytest.raises(AccessDenied):
            require_personal_data(user)
