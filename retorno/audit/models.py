from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """Who did what to which record, when and from where. Append-only: the database refuses
    updates and deletions (audit.integrity installs the triggers), and a sealer chains the rows
    by hash so that a row removed behind the database's back is found (`retorno audit verify`)."""

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
        LOGIN = "login", _("Inicio de sesión")
        ACCESS = "access", _("Acceso a otro punto")

    at = models.DateTimeField(_("fecha y hora"), default=timezone.now, editable=False, db_index=True)
    # No database constraint: the trail outlives users, and a deleted user must not rewrite it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        verbose_name=_("usuario"),
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
    # The hash chain, written by audit.integrity.audit_seal after the entry is committed.
    seq = models.BigIntegerField(_("secuencia"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrada de auditoría")
        verbose_name_plural = _("bitácora de auditoría")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}:{self.object_id}"


class AuditEntryPerson(models.Model):
    """A person whose data a list read showed (one entry may show a page of 50 persons): lets
    'who saw this person' include the lists, for the person's right of access."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="persons")
    person_id = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("persona en una consulta")
        verbose_name_plural = _("personas en consultas")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.person_id}"


class AccessReview(models.Model):
    """An officer opened a person of another point through a match (with a stated reason): the
    point supervisor reviews it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        JUSTIFIED = "justified", _("Justificado")
        INAPPROPRIATE = "inappropriate", _("Indebido")

    entry = models.OneToOneField(AuditEntry, on_delete=models.PROTECT, related_name="review")
    reception_point_id = models.BigIntegerField(db_index=True)
    person_id = models.BigIntegerField()
    reason = models.CharField(_("motivo"), max_length=300)
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("nota"), max_length=300, blank=True)

    class Meta:
        ordering = ["status", "-id"]
        verbose_name = _("acceso a otro punto")
        verbose_name_plural = _("accesos a otros puntos")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.reason}"
