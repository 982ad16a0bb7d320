from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "retorno.audit"
    verbose_name = _("Bitácora de auditoría")
    nav = [(_("Auditoría"), "audit:log"), (_("Accesos a otros puntos"), "audit:access_reviews")]

    def ready(self):
        from django.db.models.signals import pre_delete

        from retorno.audit.guards import refuse_personal_data_deletion

        # Records of returnees are never deleted through the application (withdrawn, corrected,
        # merged or anonymised instead): the admin, a shell or a bulk delete all go through here.
        pre_delete.connect(refuse_personal_data_deletion, dispatch_uid="audit-refuse-personal-deletion")
