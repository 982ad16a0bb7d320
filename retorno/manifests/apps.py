from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManifestsConfig(AppConfig):
    name = "retorno.manifests"
    verbose_name = _("Listas de llegada")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav = [(_("Listas de llegada"), "manifests:list")]
