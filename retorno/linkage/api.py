"""Linkage API: the review queue, bulk decisions, merges and unmerge (supervisors and admins)."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from retorno.accounts.permissions import Perm, api_requires
from retorno.audit.services import audit_record
from retorno.core.pagination import PageNumber
from retorno.identity.api import PersonSummaryOut
from retorno.identity.selectors import person_get_visible
from retorno.linkage.selectors import (
    merge_get_visible,
    merge_list_visible,
    review_pair_get_visible,
    review_pair_list_visible,
)
from retorno.linkage.services import person_merge, person_unmerge, review_pairs_decide

router = Router()


class PersonBrief(PersonSummaryOut):
    """The two persons of a pair, as the identity API shows a person."""


class PairOut(Schema):
    id: int
    person_a: PersonBrief
    person_b: PersonBrief
    match_probability: float
    match_weight: float
    levels: dict
    source: str
    status: str
    created_at: datetime
    decided_at: datetime | None
    merge_id: int | None


class PairFilters(Schema):
    status: str = Field("pending", pattern="^(pending|same|different|skipped|all)$")


class DecideIn(Schema):
    pair_ids: list[int] = Field(..., min_length=1, max_length=500)
    decision: str = Field(..., description="same | different | skip")


class MergeIn(Schema):
    survivor_id: int
    merged_id: int
    reason: str = Field("", max_length=200)


class MergeOut(Schema):
    id: int
    survivor_id: int
    merged_id: int
    moved: dict
    reason: str
    merged_at: datetime
    undone_at: datetime | None


@router.get("/pairs", response=list[PairOut])
@paginate(PageNumber)
@api_requires(Perm.LINKAGE_REVIEW)
def list_pairs(request, filters: Query[PairFilters]):
    """Pairs waiting for review (or another status), highest probability first."""
    status = None if filters.status == "all" else filters.status
    pairs = review_pair_list_visible(request.auth, status=status)
    audit_record(
        user=request.auth, action="view", object_type="linkage.reviewpair", detail={"status": filters.status}
    )
    return pairs


@router.get("/pairs/{int:pair_id}", response=PairOut)
@api_requires(Perm.LINKAGE_REVIEW)
def get_pair(request, pair_id: int):
    pair = review_pair_get_visible(request.auth, pair_id)
    for pid in (pair.person_a_id, pair.person_b_id):
        audit_record(user=request.auth, action="view", obj=pair, person_id=pid)
    return pair


@router.post("/pairs/decide", response=list[PairOut])
@api_requires(Perm.LINKAGE_REVIEW)
def decide_pairs(request, payload: DecideIn):
    """One decision for several pairs, all or nothing; "same" merges the two persons."""
    return review_pairs_decide(user=request.auth, pair_ids=payload.pair_ids, decision=payload.decision)


@router.get("/merges", response=list[MergeOut])
@paginate(PageNumber)
@api_requires(Perm.LINKAGE_REVIEW)
def list_merges(request):
    return merge_list_visible(request.auth)


@router.post("/merges", response={201: MergeOut})
@api_requires(Perm.LINKAGE_REVIEW)
def merge_persons(request, payload: MergeIn):
    """Merge `merged_id` into `survivor_id` (both must be in the caller's scope)."""
    survivor = person_get_visible(request.auth, payload.survivor_id)
    merged = person_get_visible(request.auth, payload.merged_id)
    return Status(
        201, person_merge(user=request.auth, survivor=survivor, merged=merged, reason=payload.reason)
    )


@router.post("/merges/{int:merge_id}/unmerge", response=MergeOut)
@api_requires(Perm.LINKAGE_REVIEW)
def unmerge(request, merge_id: int):
    return person_unmerge(user=request.auth, merge=merge_get_visible(request.auth, merge_id))
