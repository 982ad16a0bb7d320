from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "retorno.jobs"
    verbose_name = _("Trabajos en segundo plano")
    nav = [(_("Mis trabajos"), "jobs:list")]
