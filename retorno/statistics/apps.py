from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "retorno.statistics"
    verbose_name = _("Estadística")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav: list = [
        (_("Estadística"), "statistics:dashboard"),
        (_("Datos abiertos"), "statistics:public"),
    ]
