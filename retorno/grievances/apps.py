from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "retorno.grievances"
    verbose_name = _("Quejas y sugerencias")
    nav = [(_("Quejas y sugerencias"), "grievances:queue")]
