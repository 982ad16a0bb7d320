from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "retorno.referrals"
    verbose_name = _("Canalizaciones")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav = [
        (_("Canalizaciones"), "referrals:inbox")
    ]
