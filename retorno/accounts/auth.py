"""API authentication: bearer tokens (with per-token rate limits) and the web session.

Both refuse in ways that cannot be used to guess: a wrong token is a 401, and an address that
keeps sending wrong tokens gets 429 with Retry-After before the token is even looked up.
"""

import time

from django.conf import settings
from django.core.cache import cache
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from retorno.accounts.models import ApiToken
from retorno.core.net import client_ip


def _window(seconds: int = 60) -> tuple[int, int]:
    """(index of the current fixed window, seconds left in it)."""
    now = int(time.time())
    return now // seconds, seconds - now % seconds


def _count(key: str, ttl: int) -> int:
    """Add one to a counter that lives `ttl` seconds; returns the new value (one cache call once
    the counter exists: incr first, add only when it does not)."""
    try:
        return cache.incr(key)
    except ValueError:  # not there yet (or just expired)
        if cache.add(key, 1, ttl):
            return 1
        return cache.incr(key)


def _check_permission(user, permission) -> None:
    """An operation's permission is checked with the caller's identity, before its input is read:
    a role that may not call it gets 403 whatever it sends (core.api_errors.install_operation_policies
    gives each operation its own instances)."""
    from retorno.accounts.permissions import require

    if permission is not None:
        require(user, permission)


class ApiTokenAuth(HttpBearer):
    def __init__(self, permission=None):
        super().__init__()
        self.permission = permission

    def authenticate(self, request, token: str):
        window, left = _window()
        failures_key = f"api-auth-fail:{client_ip(request)}:{window}"
        if (cache.get(failures_key) or 0) >= settings.RETORNO_API_AUTH_FAILURES_PER_MINUTE:
            raise Throttled(wait=left)
        user = ApiToken.user_for(token) if len(token) <= 200 else None
        if user is None:
            _count(failures_key, left + 1)
            return None
        request.user = user
        _check_permission(user, self.permission)
        return user


class VerifiedSessionAuth(SessionAuth):
    """The browser's session, for the pages' own htmx/API calls: only once the second factor is
    confirmed for roles that need one (accounts.mfa)."""

    def __init__(self, permission=None):
        super().__init__()
        self.permission = permission

    def authenticate(self, request, key):
        from retorno.accounts.mfa import mfa_satisfied

        user = super().authenticate(request, key)
        if user and not mfa_satisfied(request):
            return None
        if user:
            _check_permission(user, self.permission)
        return user


class TokenRateThrottle(BaseThrottle):
    """Requests per minute per API token (the token's own limit, else RETORNO_API_RATE_PER_MINUTE),
    counted in a fixed one-minute window. Session requests are not counted here: the login
    lockout and the idle timeout cover them.

    A fixed-window counter rather than ninja's SimpleRateThrottle, which keeps every request's
    timestamp in the cache: at a bulk client's hundreds of calls a second that list is rewritten
    whole on every call."""

    def allow_request(self, request) -> bool:
        auth = getattr(request, "auth", None)
        token_id = getattr(auth, "api_token_id", None)
        if token_id is None:
            return True
        limit = getattr(auth, "api_rate_per_minute", None) or settings.RETORNO_API_RATE_PER_MINUTE
        window, self._left = _window()
        return _count(f"api-rate:{token_id}:{window}", self._left + 1) <= limit

    def wait(self) -> float:
        return float(getattr(self, "_left", 60))
