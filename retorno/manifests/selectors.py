"""Reading manifests within the user's scope: officers and supervisors of the point, admins."""

from django.db.models import QuerySet

from retorno.accounts.access import points_in_scope
from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, can
from retorno.manifests.models import Manifest, ManifestRow


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


def match_candidates(data) -> list[dict]:
    """Existing persons that may be the one arriving (desk matching), with the minimum the
    officer needs to decide: name, sex, birth date, CURP, previous arrivals. Callers audit."""
    from retorno.identity.matching import MatchQuery, person_match_candidates
    from retorno.identity.models import Person

    found = person_match_candidates(
        MatchQuery(
            given_names=data.given_names,
            first_surname=data.first_surname,
            second_surname=data.second_surname,
            sex=data.sex,
            birth_date=data.birth_date,
            birth_state=data.birth_state,
            curp=data.curp,
        )
    )
    persons = Person.objects.in_bulk([c.person_id for c in found])
    result = []
    for c in found:
        person = persons[c.person_id]
        events = person.events.select_related("reception_point").order_by("-arrived_at")
        last = events.first()
        result.append(
            {
                "person_id": person.pk,
                "score": c.score,
                "band": c.band,
                "reasons": list(c.reasons),
                "name": person.full_name,
                "sex": person.sex,
                "birth_date": person.birth_date,
                "curp": person.curp,
                "arrivals": events.count(),
                "last_arrival": last.arrived_at if last else None,
                "last_point": last.reception_point.name if last else "",
            }
        )
    return result
