"""Authentication hardening: lockout, passwords, second factor, sessions, API tokens and limits."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from retorno.accounts import mfa
from retorno.accounts.lockout import address_unlock
from retorno.accounts.middleware import LOGIN_AT, SEEN_AT
from retorno.accounts.models import ApiToken, Role
from retorno.testing.factories import make_point, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correcta-larga-123"


def _login(client, username, password, **extra):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)


# --- lockout --------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one_until_unlocked():
    from axes.utils import reset

    make_user(username="ana", password=PASSWORD)
    c = Client()
    for _ in range(4):
        assert _login(c, "ana", "mala-contrasena-x").status_code == 200
    assert _login(c, "ana", "mala-contrasena-x").status_code == 429  # the fifth failure locks
    locked = _login(c, "ana", PASSWORD)
    assert locked.status_code == 429 and "bloqueado" in locked.content.decode()
    assert c.get("/").status_code == 302  # still out
    reset(username="ana")  # what the admin's "desbloquear" does
    assert _login(c, "ana", PASSWORD).status_code == 302
    assert c.get("/").status_code == 200


def test_lockout_page_speaks_english_to_an_english_browser():
    make_user(username="ana", password=PASSWORD)
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(6):
        response = _login(c, "ana", "wrong-password-x")
    assert response.status_code == 429 and "Access temporarily blocked" in response.content.decode()


@override_settings(RETORNO_LOGIN_ADDRESS_FAILURE_LIMIT=8)
def test_many_accounts_tried_from_one_address_lock_the_address():
    for i in range(8):
        make_user(username=f"u{i}", password=PASSWORD)
        _login(Client(REMOTE_ADDR="203.0.113.9"), f"u{i}", "mala-contrasena-x", REMOTE_ADDR="203.0.113.9")
    make_user(username="inocente", password=PASSWORD)
    blocked = _login(Client(), "inocente", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert blocked.status_code == 429
    assert _login(Client(), "inocente", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert address_unlock("203.0.113.9") == 8
    assert _login(Client(), "inocente", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302


# --- passwords ------------------------------------------------------------------------------


def test_passwords_need_twelve_characters_and_must_not_look_like_the_username():
    user = make_user(username="oficial.tijuana")
    with pytest.raises(ValidationError):
        validate_password("corta-1", user)
    with pytest.raises(ValidationError):
        validate_password("oficial.tijuana", user)
    validate_password("Rio-Bravo-desierto-9", user)


# --- second factor --------------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@override_settings(
    RETORNO_MFA_REQUIRED_ROLES=["supervisor", "admin", "child_protection"],
    # Throttling (a wrong code makes the next try wait) has its own test below.
    OTP_TOTP_THROTTLE_FACTOR=0,
    OTP_STATIC_THROTTLE_FACTOR=0,
)
def test_supervisor_must_enrol_then_confirm_a_code_at_each_login():
    make_user(Role.SUPERVISOR, username="sup", password=PASSWORD, point=make_point("TIJ"))
    c = Client()
    assert _login(c, "sup", PASSWORD).status_code == 302
    first = c.get("/reception/events/")
    assert first.status_code == 302 and first.url.startswith(reverse("accounts:mfa_setup"))
    setup = c.get(reverse("accounts:mfa_setup"))
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user__username="sup", confirmed=False)
    assert c.post(reverse("accounts:mfa_setup"), {"code": "000000"}).status_code == 400
    done = c.post(reverse("accounts:mfa_setup"), {"code": _code(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and c.get("/reception/events/").status_code == 200
    # Next session: the code is asked again; a recovery code works once.
    c2 = Client()
    _login(c2, "sup", PASSWORD)
    assert c2.get("/").url.startswith(reverse("accounts:mfa_verify"))
    assert c2.post(reverse("accounts:mfa_verify"), {"code": "123456"}).status_code == 400
    assert c2.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 302
    assert c2.get("/").status_code == 200
    c3 = Client()
    _login(c3, "sup", PASSWORD)
    assert c3.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 400  # used
    assert mfa.recovery_codes_left(device.user) == 9


@override_settings(RETORNO_MFA_REQUIRED_ROLES=["supervisor"])
def test_a_wrong_code_makes_even_the_right_one_wait():
    user = make_user(Role.SUPERVISOR, username="sup", password=PASSWORD, point=make_point("TIJ"))
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    c = Client()
    _login(c, "sup", PASSWORD)
    assert c.post(reverse("accounts:mfa_verify"), {"code": "000000"}).status_code == 400
    assert c.post(reverse("accounts:mfa_verify"), {"code": _code(device)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


@override_settings(RETORNO_MFA_REQUIRED_ROLES=["supervisor"])
def test_the_api_refuses_a_session_whose_second_factor_is_not_confirmed():
    make_user(Role.SUPERVISOR, username="sup", password=PASSWORD, point=make_point("TIJ"))
    c = Client()
    _login(c, "sup", PASSWORD)
    assert c.get("/api/reception/events").status_code == 401


@override_settings(RETORNO_MFA_REQUIRED_ROLES=["supervisor"])
def test_roles_outside_the_setting_log_in_with_the_password_alone():
    make_user(username="ofi", password=PASSWORD)
    c = Client()
    _login(c, "ofi", PASSWORD)
    assert c.get("/").status_code == 200


# --- sessions -------------------------------------------------------------------------------


def test_an_idle_session_ends_and_the_login_says_why():
    user = make_user(username="ofi", password=PASSWORD)
    c = Client()
    c.force_login(user)
    assert c.get("/").status_code == 200
    session = c.session
    session[SEEN_AT] = time.time() - 31 * 60
    session.save()
    response = c.get("/reception/events/")
    assert response.status_code == 302 and "expired=1" in response.url
    assert "inactividad" in c.get(response.url).content.decode()
    assert c.get("/").status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_active():
    user = make_user(username="ofi", password=PASSWORD)
    c = Client()
    c.force_login(user)
    c.get("/")
    session = c.session
    session[LOGIN_AT] = time.time() - 13 * 3600
    session.save()
    assert c.get("/").status_code == 302


# --- API tokens and limits -------------------------------------------------------------------


def test_tokens_expire_are_listed_revoked_from_the_page_and_record_their_last_use():
    user = make_user()
    token, raw = ApiToken.issue(user, "integración", days=30)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/reception/events").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = Client()
    page.force_login(user)
    assert "integración" in page.get(reverse("accounts:tokens")).content.decode()
    created = page.post(reverse("accounts:tokens"), {"name": "otra", "days": 7})
    assert created.context["created"]["raw"] and ApiToken.objects.filter(user=user).count() == 2
    page.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert api.get("/api/reception/events").status_code == 401
    expired, raw_expired = ApiToken.issue(user, "vieja", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw_expired}").get("/api/reception/events").status_code == 401
    other = ApiToken.issue(make_user(), "ajena")[0]
    assert page.post(reverse("accounts:token_revoke", args=[other.pk])).status_code == 404


def test_a_token_over_its_rate_gets_429_with_retry_after():
    user = make_user()
    raw = ApiToken.issue(user, "lenta", rate_per_minute=3)[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    statuses = [api.get("/api/reception/events").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/reception/events")
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60


@override_settings(RETORNO_API_AUTH_FAILURES_PER_MINUTE=5)
def test_guessing_tokens_from_one_address_is_stopped():
    raw = ApiToken.issue(make_user(), "buena")[1]
    guesser = Client(REMOTE_ADDR="203.0.113.50")
    statuses = [
        guesser.get("/api/reception/events", HTTP_AUTHORIZATION=f"Bearer nope{i}").status_code for i in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    # Even a good token from that address waits; another address is not affected.
    assert guesser.get("/api/reception/events", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 429
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/reception/events").status_code == 200
