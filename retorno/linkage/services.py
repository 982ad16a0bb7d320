"""Merging and un-merging persons (audited, reversible) and the review queue of possible duplicates."""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import User
from retorno.accounts.permissions import Perm, require
from retorno.audit.services import audit_record
from retorno.core.exceptions import DomainError
from retorno.identity import scoring
from retorno.identity.models import Person
from retorno.identity.selectors import person_list_visible
from retorno.linkage.models import PersonMerge, ReviewPair

MSG_SAME_PERSON = _("No se puede fusionar una persona consigo misma.")
MSG_NOT_LIVE = _("La persona %(id)s ya fue fusionada en otra; trabaje con el registro que permanece.")
MSG_CURP_CONFLICT = _("Las dos personas tienen CURP distintas y válidas: no son la misma persona.")
MSG_MERGE_UNDONE = _("Esta fusión ya fue deshecha.")
MSG_SURVIVOR_MERGED = _(
    "La persona que permaneció fue fusionada después en otra; deshaga primero esa fusión."
)
MSG_CURP_TAKEN = _("No se puede separar: otra persona vigente ya tiene la CURP %(curp)s.")
MSG_MOVE_FAILED = _("No se pudieron trasladar los registros de la persona: %(error)s")
MSG_BAD_DECISION = _("Decisión no válida: use «same», «different» o «skip».")
MSG_NO_PAIRS = _("Seleccione al menos un par.")
MSG_UNKNOWN_PAIRS = _("Pares no encontrados en su cola: %(ids)s.")

DECISIONS = {
    "same": ReviewPair.Status.SAME,
    "different": ReviewPair.Status.DIFFERENT,
    "skip": ReviewPair.Status.SKIPPED,
}
# Relations to Person that a merge does not move: the linkage app's own records.
_NOT_MOVED = {"linkage.reviewpair", "linkage.personmerge", "identity.person"}


def _person_relations() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every many-to-one relation pointing at Person in any app: the
    records that follow a person when merged (events, referrals, diagnoses...)."""
    relations = []
    for rel in Person._meta.related_objects:
        if rel.one_to_many and rel.related_model._meta.label_lower not in _NOT_MOVED:
            relations.append((rel.related_model, rel.field.name))
    return relations


def _require_live(person: Person) -> None:
    if person.merged_into_id is not None:
        raise DomainError(MSG_NOT_LIVE % {"id": person.pk}, code="not_live")


def person_merge(
    *, user: User | None, survivor: Person, merged: Person, reason: str = "", check_scope: bool = True
) -> PersonMerge:
    """Fold `merged` into `survivor`: every record pointing at `merged` (repatriation events
    first of all) is re-pointed to `survivor` and listed in the returned PersonMerge, and
    `merged.merged_into` is set. Reversible with `person_unmerge`. Audited ("merge") on both
    persons.

    Raises AccessDenied (role, or either person outside the user's scope), DomainError (same
    person, a person already merged away, two different CURPs, a record that cannot move).
    """
    if user is not None:
        require(user, Perm.LINKAGE_REVIEW)
    with transaction.atomic():
        survivor = Person.objects.select_for_update().get(pk=survivor.pk)
        merged = Person.objects.select_for_update().get(pk=merged.pk)
        if survivor.pk == merged.pk:
            raise DomainError(MSG_SAME_PERSON, code="same_person")
        _require_live(survivor)
        _require_live(merged)
        if check_scope and user is not None:
            from retorno.core.exceptions import AccessDenied

            if person_list_visible(user).filter(pk__in=[survivor.pk, merged.pk]).count() != 2:
                raise AccessDenied
        if survivor.curp and merged.curp and survivor.curp != merged.curp:
            raise DomainError(MSG_CURP_CONFLICT, code="curp_conflict")
        moved: dict[str, dict] = {}
        try:
            with transaction.atomic():
                for model, field in _person_relations():
                    qs = model._default_manager.filter(**{field: merged})
                    ids = list(qs.values_list("pk", flat=True))
                    if ids:
                        qs.update(**{field: survivor})
                        moved[model._meta.label_lower] = {"field": field, "ids": ids}
                merged.merged_into = survivor
                merged.save(update_fields=["merged_into", "updated_at"])
        except IntegrityError as exc:
            raise DomainError(MSG_MOVE_FAILED % {"error": exc}, code="move_failed") from exc
        merge = PersonMerge.objects.create(
            survivor=survivor, merged=merged, moved=moved, reason=reason[:200], merged_by=user
        )
        detail = {
            "survivor": survivor.pk,
            "merged": merged.pk,
            "moved": {k: len(v["ids"]) for k, v in moved.items()},
        }
        for person in (survivor, merged):
            audit_record(user=user, action="merge", obj=merge, person_id=person.pk, detail=detail)
    return merge


def person_unmerge(*, user: User | None, merge: PersonMerge) -> PersonMerge:
    """Undo a merge exactly: the records listed in `merge.moved` that still point at the
    survivor go back to the merged person, which becomes live again. Audited ("unmerge") on
    both persons. Raises AccessDenied, or DomainError when already undone, when the survivor was
    itself merged away since, or when another live person now holds the merged person's CURP."""
    if user is not None:
        require(user, Perm.LINKAGE_REVIEW)
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise DomainError(MSG_MERGE_UNDONE, code="already_undone")
        survivor = Person.objects.select_for_update().get(pk=merge.survivor_id)
        merged = Person.objects.select_for_update().get(pk=merge.merged_id)
        if survivor.merged_into_id is not None:
            raise DomainError(MSG_SURVIVOR_MERGED, code="survivor_merged")
        if user is not None and not person_list_visible(user).filter(pk=survivor.pk).exists():
            from retorno.core.exceptions import AccessDenied

            raise AccessDenied
        if (
            merged.curp
            and Person.objects.filter(curp=merged.curp, merged_into__isnull=True)
            .exclude(pk=merged.pk)
            .exists()
        ):
            raise DomainError(MSG_CURP_TAKEN % {"curp": merged.curp}, code="curp_taken")
        from django.apps import apps

        restored = {}
        for label, entry in merge.moved.items():
            model = apps.get_model(label)
            field = entry["field"]
            restored[label] = model._default_manager.filter(pk__in=entry["ids"], **{field: survivor}).update(
                **{field: merged}
            )
        merged.merged_into = None
        merged.save(update_fields=["merged_into", "updated_at"])
        merge.undone_at = timezone.now()
        merge.undone_by = user
        merge.save(update_fields=["undone_at", "undone_by"])
        # The decision that led to the merge is open again.
        merge.review_pairs.update(
            status=ReviewPair.Status.PENDING, decided_at=None, decided_by=None, merge=None
        )
        detail = {"survivor": survivor.pk, "merged": merged.pk, "restored": restored}
        for person in (survivor, merged):
            audit_record(user=user, action="unmerge", obj=merge, person_id=person.pk, detail=detail)
    return merge


def review_pair_record(
    *,
    person_ids: tuple[int, int],
    probability: float,
    source: str,
    weight: float = 0.0,
    levels: dict | None = None,
    user: User | None = None,
) -> ReviewPair | None:
    """Put two persons in the review queue (idempotent on the pair). A pair already decided is
    left as decided; a pending one gets the new score. Returns None for a person with itself."""
    a, b = sorted(int(i) for i in person_ids)
    if a == b:
        return None
    with transaction.atomic():
        pair, created = ReviewPair.objects.get_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={
                "match_probability": probability,
                "match_weight": weight,
                "levels": levels or {},
                "source": source,
                "created_by": user,
            },
        )
        if not created and pair.status == ReviewPair.Status.PENDING:
            pair.match_probability, pair.match_weight = probability, weight
            pair.levels = levels or pair.levels
            pair.save(update_fields=["match_probability", "match_weight", "levels"])
    return pair


def review_pairs_from_desk(*, user: User, person: Person, candidates: Iterable) -> list[ReviewPair]:
    """The officer registered `person` as new although the desk proposed `candidates`
    (identity.matching.MatchCandidate): each candidate at or above the review threshold goes to
    the review queue (source "desk"), so a supervisor confirms or merges later."""

    review = scoring.thresholds().review
    pairs = []
    for c in candidates:
        if c.score >= review and c.person_id != person.pk:
            pair = review_pair_record(
                person_ids=(person.pk, c.person_id),
                probability=c.score,
                weight=getattr(c, "match_weight", 0.0),
                levels=dict(getattr(c, "levels", ()) or ()),
                source=ReviewPair.Source.DESK,
                user=user,
            )
            if pair:
                pairs.append(pair)
    return pairs


def _root(person: Person) -> Person:
    seen = set()
    while person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def review_pairs_decide(*, user: User, pair_ids: list[int], decision: str) -> list[ReviewPair]:
    """Apply one decision to several pairs of the user's queue, all or nothing.

    "same": the two persons are merged (the older record, smaller id, survives; if either was
    merged meanwhile, their surviving records are merged); "different" and "skip" only record
    the decision. Raises ValidationError for an unknown decision, no pairs or pairs outside the
    user's queue; AccessDenied for other roles; DomainError when a merge is refused (the whole
    batch is then left unchanged).
    """
    from retorno.linkage.selectors import review_pair_list_visible

    status = DECISIONS.get(decision)
    if status is None:
        raise ValidationError({"decision": [MSG_BAD_DECISION]})
    ids = sorted({int(i) for i in pair_ids})
    if not ids:
        raise ValidationError({"pair_ids": [MSG_NO_PAIRS]})
    with transaction.atomic():
        pairs = list(
            review_pair_list_visible(user, status=None).filter(pk__in=ids).select_for_update(of=("self",))
        )
        missing = sorted(set(ids) - {p.pk for p in pairs})
        if missing:
            raise ValidationError(
                {"pair_ids": [MSG_UNKNOWN_PAIRS % {"ids": ", ".join(map(str, missing[:20]))}]}
            )
        now = timezone.now()
        for pair in pairs:
            if status == ReviewPair.Status.SAME:
                a, b = _root(pair.person_a), _root(pair.person_b)
                if a.pk != b.pk:
                    survivor, merged = (a, b) if a.pk < b.pk else (b, a)
                    pair.merge = person_merge(
                        user=user, survivor=survivor, merged=merged, reason=f"review pair {pair.pk}"
                    )
            pair.status, pair.decided_at, pair.decided_by = status, now, user
            pair.save(update_fields=["status", "decided_at", "decided_by", "merge"])
    return pairs


def review_pairs_from_batch(
    *,
    match_threshold: float | None = None,
    progress: Callable[[str], None] | None = None,
    backend: str = "duckdb",
    spark=None,
    since: datetime | None = None,
) -> int:
    """Link the database's live persons with the batch model (`retorno link --db`) and put
    every pair at or above the review threshold in the review queue (source "batch"). Nothing is
    merged automatically. Returns the number of pairs created or refreshed.

    With `since`, only persons registered or corrected from then on are compared, with every
    live person (`retorno link --db --since DATE`): a month of arrivals without relinking the
    whole history, giving the pairs a full relink gives for those persons."""

    from retorno.linkage import pipeline

    cols: dict[str, list] = {name: [] for name in ["unique_id", *scoring.FEATURE_COLUMNS]}
    persons = Person.objects.filter(merged_into__isnull=True).values_list(
        "pk",
        "given_names",
        "first_surname",
        "second_surname",
        "sex",
        "birth_date",
        "birth_state__code",
        "curp",
    )
    new_ids: set[str] | None = None
    if since is not None:
        recent = Person.objects.filter(merged_into__isnull=True, updated_at__gte=since)
        new_ids = {str(pk) for pk in recent.values_list("pk", flat=True).iterator(chunk_size=5000)}
        if not new_ids:
            return 0
    for pk, given, first, second, sex, birth, state, curp in persons.iterator(chunk_size=5000):
        feats = scoring.features(
            given_names=given,
            first_surname=first,
            second_surname=second,
            sex=sex,
            birth_date=birth,
            birth_state=state or "",
            curp=curp,
        )
        cols["unique_id"].append(str(pk))
        for name in scoring.FEATURE_COLUMNS:
            cols[name].append(feats[name])
    if len(cols["unique_id"]) < 2:
        return 0
    result = pipeline.link_table(
        pipeline._columns_table(cols),
        match_threshold=match_threshold,
        backend=backend,
        spark=spark,
        progress=progress,
        keep_pairs=True,
        new_ids=new_ids,
    )
    count = 0
    for left, right, probability in result.pairs:
        if review_pair_record(
            person_ids=(int(left), int(right)), probability=probability, source=ReviewPair.Source.BATCH
        ):
            count += 1
    return count
