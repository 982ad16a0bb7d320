from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "retorno.reception"
    verbose_name = _("Recepción")
    nav = [
        (_("Registrar llegada"), "reception:desk", ["reception_officer", "supervisor", "admin"]),
        (
            _("Llegadas"),
            "reception:event_list",
            ["reception_officer", "supervisor", "child_protection", "admin"],
        ),
        (_("Menores no acompañados"), "reception:minors", ["child_protection", "supervisor", "admin"]),
    ]
