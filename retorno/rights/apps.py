from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "retorno.rights"
    verbose_name = _("Derechos ARCO")
    nav = [(_("Derechos ARCO"), "rights:queue")]
