from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstanciasConfig(AppConfig):
    name = "retorno.constancias"
    verbose_name = _("Constancias de recepción")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav = [(_("Constancias"), "constancias:list")]
