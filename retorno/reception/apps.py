from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "retorno.reception"
    verbose_name = _("Recepción")
    nav = [
        (_("Recepción"), "reception:desk", ["reception_officer", "supervisor", "child_protection", "admin"])
    ]
