from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "retorno.audit"
    verbose_name = _("Bitácora de auditoría")
    nav = [(_("Auditoría"), "audit:log"), (_("Accesos a otros puntos"), "audit:access_reviews")]
