from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "retorno.policy"
    verbose_name = _("Seguimiento de política pública (PEM y Pacto Mundial)")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav: list = [
        (_("Política pública"), "policy:catalog"),
    ]
