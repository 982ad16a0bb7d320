from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "retorno.linkage"
    verbose_name = _("Resolución de identidad")
    nav = [(_("Duplicados"), "linkage:queue")]
