"""Reading manifests within the user's scope: officers and supervisors of the point, admins."""

from django.db.models import QuerySet

from retorno.accounts.access import points_in_scope
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, can
from retorno.manifests.models import Manifest, ManifestRow, Transfer


def manifest_list_visible(user: User) -> QuerySet[Manifest]:
    """Manifests of points in the user's scope (none for other roles), newest first."""
    if not can(user, Perm.MANIFEST_USE):
        return Manifest.objects.none()
    return Manifest.objects.select_related("reception_point", "uploaded_by").filter(
        reception_point__in=points_in_scope(user)
    )


def manifest_get_visible(user: User, manifest_id: int) -> Manifest:
    """Raises Manifest.DoesNotExist outside the user's scope (shown as 404)."""
    return manifest_list_visible(user).get(pk=manifest_id)


def manifest_rows(manifest: Manifest, *, status: str = "") -> QuerySet[ManifestRow]:
    rows = manifest.rows.select_related("birth_state", "event")
    if status in ManifestRow.Status.values:
        rows = rows.filter(status=status)
    return rows


def manifest_row_get(manifest: Manifest, row_id: int) -> ManifestRow:
    return manifest.rows.select_related("manifest__reception_point", "birth_state").get(pk=row_id)


def transfer_list_visible(user: User) -> QuerySet[Transfer]:
    """Assisted-return transfers sent or received at the points of the user's scope, newest first."""
    if not can(user, Perm.MANIFEST_USE):
        return Transfer.objects.none()
    return Transfer.objects.select_related("reception_point", "manifest").filter(
        reception_point__in=points_in_scope(user)
    )
