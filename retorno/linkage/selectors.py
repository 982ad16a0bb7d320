"""Reading the review queue and merges, scoped like persons (supervisors and admins only)."""

from django.db.models import QuerySet

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.identity.selectors import person_list_visible
from retorno.linkage.models import PersonMerge, ReviewPair


def review_pair_list_visible(
    user: User, *, status: str | None = ReviewPair.Status.PENDING
) -> QuerySet[ReviewPair]:
    """Pairs whose two persons the user may read (both still live), highest probability first.
    Raises AccessDenied for roles other than supervisor and admin. `status=None`: every status."""
    require(user, Perm.LINKAGE_REVIEW)
    visible = person_list_visible(user).values("pk")
    pairs = ReviewPair.objects.filter(person_a__in=visible, person_b__in=visible).select_related(
        "person_a", "person_b", "person_a__birth_state", "person_b__birth_state"
    )
    if status:
        pairs = pairs.filter(status=status)
    return pairs


def review_pair_get_visible(user: User, pair_id: int) -> ReviewPair:
    """One pair of the user's queue (any status); ReviewPair.DoesNotExist otherwise."""
    return review_pair_list_visible(user, status=None).get(pk=pair_id)


def merge_list_visible(user: User) -> QuerySet[PersonMerge]:
    """Merges whose surviving person the user may read (the merged-away one is not live)."""
    require(user, Perm.LINKAGE_REVIEW)

    visible = person_list_visible(user).values("pk")
    # A merged-away person has no own events any more; its survivor decides visibility.
    return PersonMerge.objects.filter(survivor__in=visible).select_related(
        "survivor", "merged", "merged_by", "undone_by"
    )


def merge_get_visible(user: User, merge_id: int) -> PersonMerge:
    return merge_list_visible(user).get(pk=merge_id)
