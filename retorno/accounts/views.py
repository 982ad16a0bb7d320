"""Account pages: login (with lockout), second factor (enrol, confirm, recovery codes) and the
user's own API tokens."""

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from retorno.accounts import mfa, services
from retorno.accounts.forms import CodeForm, LoginForm, TokenForm
from retorno.accounts.lockout import address_locked
from retorno.accounts.permissions import Perm, requires
from retorno.core.net import client_ip


def _next_url(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        if address_locked(client_ip(request)):
            return render(
                request,
                "accounts/locked.html",
                {"cooloff_minutes": int(settings.AXES_COOLOFF_TIME * 60), "by_address": True},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        return context


def _qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, svgns=True, border=2)
    return buffer.getvalue().decode()


@requires(Perm.ACCOUNT_SELF)
def mfa_overview(request):
    return render(
        request,
        "accounts/mfa_overview.html",
        {
            "enrolled": mfa.mfa_enrolled(request.user),
            "required": mfa.mfa_required(request.user),
            "codes_left": mfa.recovery_codes_left(request.user),
        },
    )


@requires(Perm.ACCOUNT_SELF)
def mfa_setup(request):
    """Enrol an authenticator: QR code and secret, then one code to confirm it."""
    if mfa.mfa_enrolled(request.user) and not mfa.mfa_satisfied(request):
        return redirect("accounts:mfa_verify")
    device = mfa.totp_device_pending(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.mfa_enrol_confirm(user=request.user, device=device)
            otp_login(request, device)
            return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("code", _("El código no corresponde. Revise la hora del teléfono y escriba el código actual."))
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 (segno's own SVG, no user text)
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
        status=400 if form.is_bound else 200,
    )


@requires(Perm.ACCOUNT_SELF)
def mfa_verify(request):
    """Confirm the second factor for this session: a TOTP code or a recovery code."""
    if not mfa.mfa_enrolled(request.user):
        return redirect("accounts:mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            services.mfa_verified(user=request.user, device=device)
            if device.name == mfa.RECOVERY_DEVICE_NAME:
                messages.warning(
                    request,
                    _("Usó un código de recuperación; le quedan %(n)s.") % {"n": mfa.recovery_codes_left(request.user)},
                )
            return redirect(_next_url(request))
        services.mfa_failed(user=request.user)
        form.add_error("code", _("Código incorrecto o ya usado. Tras varios intentos hay que esperar antes de reintentar."))
    return render(
        request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)}, status=400 if form.is_bound else 200
    )


@requires(Perm.ACCOUNT_SELF)
@require_POST
def mfa_recovery_codes(request):
    if not mfa.mfa_enrolled(request.user):
        return redirect("accounts:mfa_setup")
    codes = services.mfa_recovery_codes_renew(user=request.user)
    return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": "/"})


@requires(Perm.ACCOUNT_SELF)
def tokens(request):
    """The user's API tokens: create (the value is shown once), see last use, revoke."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        created = {"token": token, "raw": raw}
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "created": created, "tokens": services.api_token_list(user=request.user)},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(Perm.ACCOUNT_SELF)
@require_POST
def token_revoke(request, token_id: int):
    services.api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("Token revocado: deja de funcionar de inmediato."))
    return redirect("accounts:tokens")
