from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "retorno.referrals"
    verbose_name = _("Canalizaciones")
    # (title, url name, roles allowed; empty = every signed-in user)
    nav = [
        (_("Canalizaciones"), "referrals:inbox")
    ]
