"""Clustering under constraints: never two valid CURPs in one person; chains need evidence."""

from retorno.linkage.clustering import constrained_clusters, logit2


def _cluster(uids, links, curps=None, weights=None, join=0.5):
    curps = curps or {}
    weights = weights or {}
    return constrained_clusters(
        uids,
        links,
        curp_of=curps.get,
        pair_weight=lambda a, b: weights.get((min(a, b), max(a, b)), -20.0),
        join_probability=join,
    )


def test_links_join_records_into_persons_numbered_in_input_order():
    person_of, stats = _cluster(["a", "b", "c", "d"], [("c", "d", 0.99), ("a", "b", 0.95)])
    assert person_of == {"a": 1, "b": 1, "c": 2, "d": 2} and stats.merged == 2


def test_two_different_valid_curps_are_never_one_person_even_through_a_chain():
    curps = {"a": "PELJ900517HJCRPN09", "c": "PELJ900517HJCRPN01"}
    # b (no CURP) links to both: the stronger link wins, the other is refused.
    person_of, stats = _cluster(
        ["a", "b", "c"], [("a", "b", 0.99), ("b", "c", 0.97)], curps, {("a", "c"): 30.0}
    )
    assert person_of["a"] == person_of["b"] != person_of["c"]
    assert stats.refused_curp == 1


def test_a_chain_between_two_formed_persons_needs_evidence_across_them():
    # a~b and c~d are strong; b~c links the two persons, but a and d, a and c, b and d are
    # strongly different (scored in Python): the join is refused.
    links = [("a", "b", 0.999), ("c", "d", 0.999), ("b", "c", 0.95)]
    weights = {("b", "c"): logit2(0.95), ("a", "c"): -15.0, ("a", "d"): -15.0, ("b", "d"): -15.0}
    person_of, stats = constrained_clusters(
        ["a", "b", "c", "d"],
        links,
        curp_of={}.get,
        pair_weight=lambda a, b: weights[(a, b)],
        join_probability=0.5,
        known={("b", "c"): logit2(0.95)},
    )
    assert person_of["a"] == person_of["b"] != person_of["c"] == person_of["d"]
    assert stats.refused_weak == 1 and stats.cross_scored == 3


def test_a_chain_with_support_across_is_joined():
    links = [("a", "b", 0.999), ("c", "d", 0.999), ("b", "c", 0.95)]
    weights = {("b", "c"): logit2(0.95), ("a", "c"): 2.0, ("a", "d"): -1.0, ("b", "d"): 1.0}
    person_of, _ = _cluster(["a", "b", "c", "d"], links, weights=weights)
    assert len(set(person_of.values())) == 1


def test_known_weights_are_not_scored_again():
    calls = []
    links = [("a", "b", 0.99), ("a", "c", 0.98)]

    def weight(a, b):
        calls.append((a, b))
        return 5.0

    constrained_clusters(
        ["a", "b", "c"],
        links,
        curp_of={}.get,
        pair_weight=weight,
        join_probability=0.5,
        known={("a", "b"): 7.0, ("a", "c"): 6.0},
    )
    assert calls == [("b", "c")]
