import pytest
from django.core.exceptions import ValidationError

from retorno.accounts.models import Role
from retorno.audit.models import AuditEntry
from retorno.core.exceptions import AccessDenied, DomainError
from retorno.identity.matching import MatchCandidate
from retorno.identity.models import Person
from retorno.linkage import services
from retorno.linkage.models import PersonMerge, ReviewPair
from retorno.linkage.selectors import review_pair_list_visible
from retorno.linkage.tests.factories import make_duplicate_pair, make_national_supervisor, make_supervisor
from retorno.reception.models import RepatriationEvent
from retorno.testing.factories import make_event, make_person, make_point, make_user

pytestmark = pytest.mark.django_db


def _events(person):
    return set(RepatriationEvent.objects.filter(person=person).values_list("pk", flat=True))


def test_merge_moves_events_and_unmerge_restores_exactly():
    point = make_point()
    survivor, merged = make_person(), make_person(given_names="Juanito")
    own = {make_event(survivor, point).pk}
    theirs = {make_event(merged, point).pk, make_event(merged, point).pk}
    user = make_national_supervisor()

    merge = services.person_merge(user=user, survivor=survivor, merged=merged, reason="test")

    merged.refresh_from_db()
    assert merged.merged_into_id == survivor.pk
    assert _events(survivor) == own | theirs and _events(merged) == set()
    assert set(merge.moved["reception.repatriationevent"]["ids"]) == theirs

    services.person_unmerge(user=user, merge=merge)

    merged.refresh_from_db()
    merge.refresh_from_db()
    assert merged.merged_into_id is None and merge.undone_at is not None
    assert _events(survivor) == own and _events(merged) == theirs


def test_merge_and_unmerge_are_audited_on_both_persons():
    point = make_point()
    a, b = make_person(), make_person()
    make_event(a, point), make_event(b, point)
    user = make_national_supervisor()
    merge = services.person_merge(user=user, survivor=a, merged=b)
    services.person_unmerge(user=user, merge=merge)
    for action in ("merge", "unmerge"):
        entries = AuditEntry.objects.filter(
            action=action, object_type="linkage.personmerge", object_id=str(merge.pk)
        )
        assert {e.person_id for e in entries} == {a.pk, b.pk}
        assert all(e.user_id == user.pk for e in entries)


def test_event_registered_after_merge_stays_with_survivor_on_unmerge():
    point = make_point()
    a, b = make_person(), make_person()
    make_event(a, point)
    moved = make_event(b, point)
    user = make_national_supervisor()
    merge = services.person_merge(user=user, survivor=a, merged=b)
    later = make_event(a, point)
    services.person_unmerge(user=user, merge=merge)
    assert _events(b) == {moved.pk}
    assert later.pk in _events(a)


def test_merge_refuses_two_different_curps_and_changes_nothing():
    a = make_person(curp="HEGJ850307HMNRRS03")
    b = make_person(curp="HEGJ850307HGRRRS07")
    with pytest.raises(DomainError) as exc:
        services.person_merge(user=make_national_supervisor(), survivor=a, merged=b)
    assert exc.value.message == services.MSG_CURP_CONFLICT
    b.refresh_from_db()
    assert b.merged_into_id is None and not PersonMerge.objects.exists()


def test_merge_refuses_a_person_already_merged_and_itself():
    user = make_national_supervisor()
    a, b, c = make_person(), make_person(), make_person()
    services.person_merge(user=user, survivor=a, merged=b)
    with pytest.raises(DomainError):
        services.person_merge(user=user, survivor=c, merged=b)
    with pytest.raises(DomainError):
        services.person_merge(user=user, survivor=a, merged=a)


def test_unmerge_twice_is_refused():
    user = make_national_supervisor()
    merge = services.person_merge(user=user, survivor=make_person(), merged=make_person())
    services.person_unmerge(user=user, merge=merge)
    with pytest.raises(DomainError):
        services.person_unmerge(user=user, merge=merge)


@pytest.mark.parametrize(
    "role", [Role.RECEPTION_OFFICER, Role.ANALYST, Role.CASEWORKER, Role.CHILD_PROTECTION]
)
def test_only_supervisors_and_admins_merge_or_review(role):
    user = make_user(role)
    with pytest.raises(AccessDenied):
        services.person_merge(user=user, survivor=make_person(), merged=make_person())
    with pytest.raises(AccessDenied):
        review_pair_list_visible(user)


def test_point_supervisor_sees_only_pairs_of_their_point():
    here, there = make_point("TIJ1"), make_point("MXL1")
    mine = make_duplicate_pair(here)
    other = make_duplicate_pair(there)
    supervisor = make_supervisor(point=here)
    assert list(review_pair_list_visible(supervisor)) == [mine]
    assert set(review_pair_list_visible(make_national_supervisor())) == {mine, other}
    assert set(review_pair_list_visible(make_user(Role.ADMIN))) == {mine, other}
    with pytest.raises(ValidationError):
        services.review_pairs_decide(user=supervisor, pair_ids=[other.pk], decision="different")
    other.refresh_from_db()
    assert other.status == ReviewPair.Status.PENDING


def test_point_supervisor_cannot_merge_persons_of_another_point():
    here, there = make_point("TIJ2"), make_point("MXL2")
    a, b = make_person(), make_person()
    make_event(a, here), make_event(b, there)
    with pytest.raises(AccessDenied):
        services.person_merge(user=make_supervisor(point=here), survivor=a, merged=b)


def test_bulk_decision_same_merges_each_pair_into_the_older_record():
    user = make_national_supervisor()
    p1, p2 = make_duplicate_pair(), make_duplicate_pair()
    pairs = services.review_pairs_decide(user=user, pair_ids=[p1.pk, p2.pk], decision="same")
    assert {p.status for p in pairs} == {ReviewPair.Status.SAME}
    for pair in (p1, p2):
        pair.refresh_from_db()
        assert Person.objects.get(pk=pair.person_b_id).merged_into_id == pair.person_a_id
        assert pair.merge is not None and pair.decided_by == user


def test_bulk_decision_different_and_skip_only_record_the_decision():
    user = make_national_supervisor()
    p1, p2 = make_duplicate_pair(), make_duplicate_pair()
    services.review_pairs_decide(user=user, pair_ids=[p1.pk], decision="different")
    services.review_pairs_decide(user=user, pair_ids=[p2.pk], decision="skip")
    p1.refresh_from_db(), p2.refresh_from_db()
    assert (p1.status, p2.status) == (ReviewPair.Status.DIFFERENT, ReviewPair.Status.SKIPPED)
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize("decision,ids", [("merge", None), ("same", []), ("same", [999999])])
def test_bad_decisions_are_validation_errors(decision, ids):
    pair = make_duplicate_pair()
    with pytest.raises(ValidationError):
        services.review_pairs_decide(
            user=make_national_supervisor(), pair_ids=[pair.pk] if ids is None else ids, decision=decision
        )


def test_bulk_is_all_or_nothing_when_one_merge_is_refused():
    user = make_national_supervisor()
    good = make_duplicate_pair()
    bad = make_duplicate_pair()
    Person.objects.filter(pk=bad.person_a_id).update(curp="HEGJ850307HMNRRS03")
    Person.objects.filter(pk=bad.person_b_id).update(curp="HEGJ850307HGRRRS07")
    with pytest.raises(DomainError):
        services.review_pairs_decide(user=user, pair_ids=[good.pk, bad.pk], decision="same")
    good.refresh_from_db()
    assert good.status == ReviewPair.Status.PENDING and not PersonMerge.objects.exists()


def test_unmerge_reopens_the_review_pair():
    user = make_national_supervisor()
    pair = make_duplicate_pair()
    services.review_pairs_decide(user=user, pair_ids=[pair.pk], decision="same")
    pair.refresh_from_db()
    services.person_unmerge(user=user, merge=pair.merge)
    pair.refresh_from_db()
    assert pair.status == ReviewPair.Status.PENDING and pair.merge is None


def test_desk_none_of_these_queues_probable_candidates_only():
    officer = make_user(Role.RECEPTION_OFFICER)
    new, old, weak = make_person(), make_person(), make_person()
    candidates = [
        MatchCandidate(old.pk, 0.97, "probable", ("surname",)),
        MatchCandidate(weak.pk, 0.10, "possible", ()),
    ]
    pairs = services.review_pairs_from_desk(user=officer, person=new, candidates=candidates)
    assert [(p.person_a_id, p.person_b_id) for p in pairs] == [tuple(sorted((new.pk, old.pk)))]
    assert pairs[0].source == ReviewPair.Source.DESK


def test_review_pair_record_is_idempotent_and_keeps_decisions():
    a, b = make_person(), make_person()
    first = services.review_pair_record(person_ids=(b.pk, a.pk), probability=0.6, source="batch")
    again = services.review_pair_record(person_ids=(a.pk, b.pk), probability=0.7, source="batch")
    assert first.pk == again.pk and again.match_probability == 0.7
    ReviewPair.objects.filter(pk=first.pk).update(status=ReviewPair.Status.DIFFERENT)
    services.review_pair_record(person_ids=(a.pk, b.pk), probability=0.9, source="batch")
    first.refresh_from_db()
    assert first.status == ReviewPair.Status.DIFFERENT and first.match_probability == 0.7
