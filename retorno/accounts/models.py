"""Users, their role and scope (point, state or institution), and API tokens."""

import hashlib
import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# last_used_at is written at most this often per token: a registration client calls many times a
# second, and one UPDATE per call would double the writes of the hot path.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class Role(models.TextChoices):
    RECEPTION_OFFICER = "reception_officer", _("Oficial de recepción")
    SUPERVISOR = "supervisor", _("Supervisor")
    CHILD_PROTECTION = "child_protection", _("Oficial de protección a la infancia")
    CASEWORKER = "caseworker", _("Gestor de institución")
    ANALYST = "analyst", _("Analista nacional")
    ADMIN = "admin", _("Administrador")


class User(AbstractUser):
    """A staff user. The scope fields say which records the role reaches:

    - reception officer: `reception_point` (required);
    - supervisor: `reception_point`, or `state` (every point in it), or neither (national);
    - child protection: `reception_point` or `state` or national, minors only;
    - caseworker: `institution` (required);
    - analyst: aggregates only, no scope;
    - admin: everything.
    """

    role = models.CharField(_("rol"), max_length=24, choices=Role.choices, default=Role.RECEPTION_OFFICER)
    reception_point = models.ForeignKey(
        "reference.ReceptionPoint",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("punto de recepción"),
    )
    state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("entidad"),
    )
    institution = models.ForeignKey(
        "directory.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("institución"),
    )
    preferred_language = models.CharField(_("idioma"), max_length=5, default="es")

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="reception_officer") | Q(reception_point__isnull=False),
                name="officer_has_point",
            ),
            models.CheckConstraint(
                condition=~Q(role="caseworker") | Q(institution__isnull=False),
                name="caseworker_has_institution",
            ),
        ]

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the raw value is shown once at creation.

    It stops working when revoked, when it expires (`expires_at`, RETORNO_API_TOKEN_DAYS after
    issue unless given) or when its user is deactivated. `rate_per_minute` overrides the default
    limit (RETORNO_API_RATE_PER_MINUTE) for a client that registers in bulk."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nombre"), max_length=80, default="default")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("vence"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)
    revoked = models.BooleanField(_("revocado"), default=False)
    revoked_at = models.DateTimeField(_("revocado el"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("límite por minuto"), null=True, blank=True, help_text=_("Vacío: el límite general.")
    )

    class Meta:
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")
        ordering = ["-created_at", "-id"]

    @classmethod
    def issue(
        cls,
        user: User,
        name: str = "default",
        *,
        days: int | None = None,
        rate_per_minute: int | None = None,
    ) -> tuple["ApiToken", str]:
        """A new token for `user` and its raw value (shown once, never stored)."""
        raw = secrets.token_urlsafe(32)
        days = settings.RETORNO_API_TOKEN_DAYS if days is None else days
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=_hash(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
            rate_per_minute=rate_per_minute,
        )
        return token, raw

    @classmethod
    def user_for(cls, raw: str) -> "User | None":
        """The active user of an unrevoked, unexpired token `raw`, or None. Checked against the
        database on every call (a revoked token or a deactivated user stops working at once); its
        reception point comes from the reference snapshot. The user carries `api_token_id` and
        `api_rate_per_minute` for the rate limit.

        One hand-written query rather than a select_related ORM query: this runs on every API
        request, and building that three-model query cost more CPU than the database spent."""
        from retorno.reference.cache import reference_snapshot

        now = timezone.now()
        users = list(
            User.objects.raw(
                f"SELECT u.*, t.id AS api_token_id, t.last_used_at AS api_token_last_used, "
                f"t.rate_per_minute AS api_rate_per_minute "
                f"FROM {User._meta.db_table} u JOIN {cls._meta.db_table} t ON t.user_id = u.id "
                "WHERE t.key_hash = %s AND t.revoked = %s AND u.is_active = %s "
                "AND (t.expires_at IS NULL OR t.expires_at > %s)",
                [_hash(raw), False, True, now],
            )
        )
        if not users:
            return None
        user = users[0]
        last = user.api_token_last_used
        if isinstance(last, str):  # SQLite returns extra raw columns as text
            from django.utils.dateparse import parse_datetime

            last = parse_datetime(last)
        if last is not None and timezone.is_naive(last):  # SQLite stores UTC without an offset
            last = timezone.make_aware(last, UTC)
        if last is None or now - last >= LAST_USED_RESOLUTION:
            cls.objects.filter(pk=user.api_token_id).update(last_used_at=now)
        if user.reception_point_id is not None:
            point = reference_snapshot().points_by_id.get(user.reception_point_id)
            if point is not None:
                user.reception_point = point
        return user

    @property
    def is_active(self) -> bool:
        return not self.revoked and (self.expires_at is None or self.expires_at > timezone.now())

    def __str__(self) -> str:
        return f"{self.user} / {self.name} ({self.prefix}…)"
