from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "retorno.reception"
    verbose_name = _("Recepción")
    nav = [
        (_("Registrar llegada"), "reception:desk"),
        (_("Llegadas"), "reception:event_list"),
        (_("Menores no acompañados"), "reception:minors"),
    ]
