"""Login lockout per address, on top of django-axes' lockout per account.

django-axes counts failures per account (AXES_LOCKOUT_PARAMETERS = username) with one limit. Many
officers at a point log in from one address, so the address gets its own, higher limit, counted
from axes' failure log (shared by every server process, cleared by an administrator in the
admin's "access failures" or with `retorno unlock --address`).
"""

from datetime import timedelta

from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


def address_locked(ip: str | None) -> bool:
    """True when `ip` had RETORNO_LOGIN_ADDRESS_FAILURE_LIMIT failed logins within the cool-off."""
    if not ip or not settings.AXES_ENABLED:
        return False
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = AccessFailureLog.objects.filter(ip_address=ip, attempt_time__gte=since)
    return failures.count() >= settings.RETORNO_LOGIN_ADDRESS_FAILURE_LIMIT


def address_unlock(ip: str) -> int:
    """Forget the failed logins from `ip`; returns how many were removed."""
    deleted, _ = AccessFailureLog.objects.filter(ip_address=ip).delete()
    return deleted
