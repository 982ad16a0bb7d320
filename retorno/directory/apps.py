from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "retorno.directory"
    verbose_name = _("Directorio de servicios")
    nav = [(_("Directorio"), "directory:index")]
