from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """Who did what to which record, when and from where. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Consulta")
        CREATE = "create", pgettext_lazy("audit action", "Alta")
        UPDATE = "update", _("Modificación")
        DELETE = "delete", _("Baja")
        EXPORT = "export", _("Exportación")
        PRINT = "print", _("Impresión")
        REVOKE = "revoke", _("Revocación")
        MERGE = "merge", _("Fusión")
        UNMERGE = "unmerge", _("Separación")
        SEARCH = "search", _("Búsqueda")

    at = models.DateTimeField(_("fecha y hora"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("usuario")
    )
    username = models.CharField(_("usuario"), max_length=150, blank=True)
    role = models.CharField(_("rol"), max_length=24, blank=True)
    action = models.CharField(_("acción"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("tipo de registro"), max_length=60)
    object_id = models.CharField(_("registro"), max_length=40, blank=True)
    # Plain integer, not a foreign key: the trail must survive a merge or deletion of the person.
    person_id = models.BigIntegerField(_("persona"), null=True, blank=True, db_index=True)
    reception_point_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    detail = models.JSONField(_("detalle"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    path = models.CharField(_("ruta"), max_length=300, blank=True)
    channel = models.CharField(_("canal"), max_length=10, blank=True)  # web, api, cli

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrada de auditoría")
        verbose_name_plural = _("bitácora de auditoría")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}:{self.object_id}"
