"""Session rules: an idle timeout, an absolute lifetime, and the second factor before anything.

The idle timeout is Django's own session expiry (SESSION_COOKIE_AGE, refreshed when the session
is saved); here the session is saved at most once a minute so that an active user stays in
without a database write on every request. The absolute lifetime counts from the login.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from retorno.accounts.mfa import mfa_enrolled, mfa_satisfied

TOUCH_EVERY_SECONDS = 60
LOGIN_AT = "retorno_login_at"
SEEN_AT = "retorno_seen_at"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            session = request.session
            login_at = session.get(LOGIN_AT)
            if login_at is None:
                session[LOGIN_AT] = login_at = now
            idle = settings.RETORNO_SESSION_IDLE_MINUTES * 60
            too_old = now - login_at > settings.RETORNO_SESSION_MAX_HOURS * 3600
            too_idle = now - session.get(SEEN_AT, now) > idle
            if too_old or too_idle:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)  # the API answers 401 itself
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path(), 'expired': 1})}")
            if now - session.get(SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
                session[SEEN_AT] = now  # saves the session: its expiry moves on
        return self.get_response(request)


# Paths a user may reach before confirming the second factor.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/accounts/login/", "/i18n/", "/static/", "/healthz", "/readyz")


class SecondFactorMiddleware:
    """Users whose role needs a second factor reach only the enrol/verify pages until they
    confirm it in this session (the API's session auth checks the same; tokens are issued
    from a verified session or by an administrator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not request.path.startswith("/api/")
            and not mfa_satisfied(request)
        ):
            target = "accounts:mfa_verify" if mfa_enrolled(user) else "accounts:mfa_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
