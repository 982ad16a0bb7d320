from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "retorno.diagnosis"
    verbose_name = _("Diagnóstico de necesidades")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav: list = [
        (_("Diagnóstico"), "diagnosis:index"),
    ]
