"""Pairs above the match threshold into persons, without the two failures of plain connected
components (Splink's clustering): two different valid CURPs in one person, and chains, where
A~B and B~C put A and C together although A and C are plainly different people.

Links are taken strongest first (single-linkage order). A link that would join two records
already in persons of their own is checked against every pair across the two: the mean of their
match weights (log2 odds, prior included) must reach the review threshold's (measured on the
independent generator at 90,000 events: precision 0.976 -> 0.983 for recall 0.845 -> 0.829;
requiring the match threshold's cost twice that recall). Pairs across are
scored in Python with the same model (`retorno.identity.scoring.score_pair`) when Splink did not
keep them. Written here because Splink's clustering is plain connected components and no
maintained library clusters under cannot-link constraints at this scale.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass
class ClusterStats:
    merged: int = 0
    refused_curp: int = 0
    refused_weak: int = 0
    cross_scored: int = 0


def logit2(p: float) -> float:
    p = min(max(p, 1e-15), 1 - 1e-15)
    return math.log2(p / (1 - p))


def constrained_clusters(
    uids: list[str],
    links: Iterable[tuple[str, str, float]],
    *,
    curp_of: Callable[[str], str | None],
    pair_weight: Callable[[str, str], float],
    join_probability: float,
    known: dict[tuple[str, str], float] | None = None,
) -> tuple[dict[str, int], ClusterStats]:
    """Person number (1.. in `uids` order) of every uid. `links`: (uid, uid, probability) at or
    above the match threshold, any order; `join_probability`: the mean evidence across two
    formed persons that a link between them needs, as a probability (the review threshold: at
    least even odds, on average, that each of their records is the other's person); `known`: match weights of pairs already scored (both
    orders not needed: keys are (min, max)); `pair_weight(a, b)` scores any other pair."""
    parent = {u: u for u in uids}
    members: dict[str, list[str]] = {u: [u] for u in uids}
    curps: dict[str, set[str]] = {u: ({c} if (c := curp_of(u)) else set()) for u in uids}
    known = known or {}
    stats = ClusterStats()
    needed = logit2(join_probability)

    def find(u: str) -> str:
        root = u
        while parent[root] != root:
            root = parent[root]
        while parent[u] != root:
            parent[u], u = root, parent[u]
        return root

    def weight(a: str, b: str) -> float:
        key = (a, b) if a < b else (b, a)
        w = known.get(key)
        if w is None:
            stats.cross_scored += 1
            w = known[key] = pair_weight(a, b)
        return w

    for a, b, _ in sorted(links, key=lambda x: -x[2]):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if curps[ra] and curps[rb] and curps[ra] != curps[rb]:
            stats.refused_curp += 1
            continue
        if len(members[ra]) > 1 or len(members[rb]) > 1:
            cross = [weight(x, y) for x in members[ra] for y in members[rb]]
            if sum(cross) / len(cross) < needed:
                stats.refused_weak += 1
                continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        curps[ra] |= curps.pop(rb)
        stats.merged += 1
    numbers: dict[str, int] = {}
    return {u: numbers.setdefault(find(u), len(numbers) + 1) for u in uids}, stats
