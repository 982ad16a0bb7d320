"""Second factor (django-otp): which users need one, and whether this session has confirmed it.

TOTP (an authenticator app) is the factor; ten single-use recovery codes (django-otp's static
tokens) stand in for a lost phone. The roles that must use it are configuration
(RETORNO_MFA_REQUIRED_ROLES); a user of any other role may still enrol.
"""

from django.conf import settings
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_DEVICE_NAME = "recovery"


def mfa_required(user) -> bool:
    """True when the user's role must confirm a second factor after the password."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(settings.RETORNO_MFA_REQUIRED_ROLES)
    return user.role in roles or (user.is_superuser and "admin" in roles)


def mfa_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


def mfa_satisfied(request) -> bool:
    """The session may act: no second factor needed, or one confirmed in this session."""
    user = request.user
    if not mfa_required(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def totp_device_pending(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (created on first call) for the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def recovery_codes_issue(user) -> list[str]:
    """A fresh set of recovery codes (the old ones stop working); returns them, shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RETORNO_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


def mfa_reset(user) -> None:
    """Remove every device of the user (an administrator's action when a phone is lost): the next
    login asks to enrol again."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
