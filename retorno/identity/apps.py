from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "retorno.identity"
    verbose_name = _("Identidad y personas")
    nav = [(_("Personas"), "identity:person_list")]
