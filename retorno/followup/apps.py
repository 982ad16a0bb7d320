from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "retorno.followup"
    verbose_name = _("Seguimiento")
    # (title, url name, roles allowed; empty = every signed-in user)
    nav: list = [
        (_("Seguimiento"), "followup:dashboard"),
    ]
