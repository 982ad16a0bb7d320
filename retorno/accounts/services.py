"""Account operations: second factor enrolment, API tokens. Each one is audited."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from retorno.accounts import mfa
from retorno.accounts.models import ApiToken, User
from retorno.audit.services import audit_record


@transaction.atomic
def mfa_enrol_confirm(*, user: User, device) -> list[str]:
    """Confirm a pending authenticator and issue recovery codes; returns the codes (shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = mfa.recovery_codes_issue(user)
    audit_record(user=user, action="create", object_type="otp.device", object_id=device.pk, detail={"kind": "totp"})
    return codes


def mfa_verified(*, user: User, device) -> None:
    audit_record(
        user=user,
        action="view",
        object_type="otp.device",
        object_id=device.pk,
        detail={"event": "second_factor_ok", "kind": "recovery" if device.name == mfa.RECOVERY_DEVICE_NAME else "totp"},
    )


def mfa_failed(*, user: User) -> None:
    audit_record(user=user, action="view", object_type="otp.device", detail={"event": "second_factor_failed"})


@transaction.atomic
def mfa_recovery_codes_renew(*, user: User) -> list[str]:
    codes = mfa.recovery_codes_issue(user)
    audit_record(user=user, action="update", object_type="otp.device", detail={"event": "recovery_codes_renewed"})
    return codes


@transaction.atomic
def mfa_reset_for(*, admin: User, user: User) -> None:
    """An administrator removes a user's second-factor devices (lost phone)."""
    mfa.mfa_reset(user)
    audit_record(user=admin, action="delete", object_type="otp.device", detail={"user": user.username})


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


@transaction.atomic
def api_token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for the user; the raw value is returned once and never stored."""
    days = max(1, min(days, 365))
    token, raw = ApiToken.issue(user, " ".join(name.split())[:80] or "default", days=days)
    audit_record(user=user, action="create", obj=token, detail={"name": token.name, "days": days})
    return token, raw


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens (administrators: anyone's). Raises
    ApiToken.DoesNotExist for another user's token (a 404)."""
    tokens = ApiToken.objects.all() if user.is_admin_role else ApiToken.objects.filter(user=user)
    token = tokens.select_for_update().get(pk=token_id)
    if not token.revoked:
        token.revoked, token.revoked_at = True, timezone.now()
        token.save(update_fields=["revoked", "revoked_at"])
        audit_record(user=user, action="revoke", obj=token, detail={"name": token.name})
    return token


