from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "retorno.employment"
    verbose_name = _("Empleo")
    # (title, url name): shown to whoever may open the page (accounts.permissions)
    nav = [(_("Empleo"), "employment:vacancies")]
