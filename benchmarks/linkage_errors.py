"""Error analysis of `retorno link` on a file with ground truth (true_person_id): where the
missed pairs and the false merges come from, as used for issue 10.

    .venv/bin/python benchmarks/linkage_errors.py /tmp/retorno_bench_independent_90000_2026.csv

Prints pairwise precision/recall/F1; missed true pairs, how many were never compared (no
blocking key shared, wide keys included as chosen for this input) and how many of those would
score above the threshold; the comparisons that weigh most against the missed pairs; false
merged pairs, direct (the pair itself scored above the threshold) or through a chain; and a few
examples of each, with their features (their p is the desk's: the saved prior, which the batch raises
for files under 200,000 records).
"""

import argparse
import collections
import itertools
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

SHOWN = ["given_key", "sn1", "sn2", "dob", "sex", "birth_state", "curp"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("input", help="CSV in the INPUT format of retorno link plus true_person_id")
    parser.add_argument("--threshold", type=float, help="match probability (default thresholds.yaml)")
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args()

    import django

    django.setup()
    from retorno.identity import scoring
    from retorno.linkage import pipeline, splink_settings

    prepared = pipeline.read_input(Path(args.input), keep_columns=["true_person_id"])
    table = prepared.table
    truth = dict(zip(prepared.event_ids, prepared.extra["true_person_id"], strict=True))
    result = pipeline.link_table(table, match_threshold=args.threshold, keep_pairs=True)
    threshold = args.threshold or scoring.thresholds().match
    print(pipeline.pairwise_scores(list(truth.values()), [result.person_of[e] for e in truth]))

    rows = {r["unique_id"]: r for r in table.to_pylist()}
    keys = [*splink_settings.BLOCKING_KEYS, *pipeline.affordable_wide_keys(table)]

    def compared(a: dict, b: dict) -> bool:
        if any(all(a[c] is not None and a[c] == b[c] for c in k) for k in keys):
            return True
        return bool(
            a["sn1_phon"]
            and a["sn2_phon"]
            and (a["sn1_phon"], a["sn2_phon"], a["given_phon"])
            == (b["sn2_phon"], b["sn1_phon"], b["given_phon"])
        )

    model = scoring.saved_model()
    persons = collections.defaultdict(list)
    for uid, person in truth.items():
        persons[person].append(uid)
    missed, never, never_high, against = [], 0, 0, collections.Counter()
    for uids in persons.values():
        for a, b in itertools.combinations(uids, 2):
            if result.person_of[a] == result.person_of[b]:
                continue
            missed.append((a, b))
            score = scoring.score_pair(rows[a], rows[b], model)
            if not compared(rows[a], rows[b]):
                never += 1
                never_high += score.match_probability >= threshold
            for name, weight in score.weights.items():
                if weight < -3:
                    against[f"{name}: {score.levels[name]}"] += 1
    print(
        f"missed true pairs {len(missed):,}; never compared {never:,} ({never_high:,} would score >= threshold)"
    )
    print("comparisons weighing more than 3 bits against the missed pairs:")
    for label, count in against.most_common(10):
        print(f"  {count:7,}  {label}")

    scored = {(min(a, b), max(a, b)): p for a, b, p in result.pairs}
    clusters = collections.defaultdict(list)
    for uid in truth:
        clusters[result.person_of[uid]].append(uid)
    false, direct = [], 0
    for uids in clusters.values():
        for a, b in itertools.combinations(uids, 2):
            if truth[a] != truth[b]:
                false.append((a, b))
                direct += scored.get((min(a, b), max(a, b)), 0.0) >= threshold
    print(f"false merged pairs {len(false):,}: {direct:,} direct, {len(false) - direct:,} through a chain")

    rnd = random.Random(1)
    for title, sample in (("missed", missed), ("false merges", false)):
        print(f"--- {title}, examples")
        for a, b in rnd.sample(sample, min(args.examples, len(sample))):
            s = scoring.score_pair(rows[a], rows[b], model)
            print(f"  p={s.match_probability:.3f}", {k: round(v, 1) for k, v in s.weights.items() if v})
            print("   ", [rows[a][c] for c in SHOWN])
            print("   ", [rows[b][c] for c in SHOWN])


if __name__ == "__main__":
    main()
