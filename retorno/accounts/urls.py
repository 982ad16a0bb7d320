from django.contrib.auth import views as auth_views
from django.urls import path

from retorno.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", views.mfa_overview, name="mfa"),
    path("2fa/setup/", views.mfa_setup, name="mfa_setup"),
    path("2fa/verify/", views.mfa_verify, name="mfa_verify"),
    path("2fa/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
