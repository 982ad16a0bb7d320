"""Batch linkage benchmark: the project's Splink pipeline against a plain tutorial-style Splink
model on the same generated events, with pairwise precision/recall/F1 against the truth, wall
time and peak memory (each pipeline runs in its own child process, so ru_maxrss is its own
peak, DuckDB included).

    .venv/bin/python benchmarks/bench_linkage.py --events 1300000 --seed 2026

Prints one line per pipeline and a JSON summary. Targets (docs/linkage.md): F1 >= 0.97, wall
time no more than the plain model's, peak memory under 8 GB.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retorno.settings")
# A benchmark runs the production settings (DEBUG off): they need a secret and hosts.
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")


def _setup():
    import django

    django.setup()


def run_project(path: Path, threshold: float | None) -> dict:
    from retorno.linkage import pipeline

    t0 = time.perf_counter()
    prepared = pipeline.read_input(path, keep_columns=["true_person_id"])
    t_read = time.perf_counter() - t0
    result = pipeline.link_table(prepared.table, match_threshold=threshold)
    wall = time.perf_counter() - t0
    predicted = [result.person_of[e] for e in prepared.event_ids]
    scores = pipeline.pairwise_scores(prepared.extra["true_person_id"], predicted)
    return {
        "wall_seconds": wall,
        "read_seconds": t_read,
        **{f"{k}_seconds": v for k, v in result.seconds.items()},
        **scores,
    }


def run_plain(path: Path, threshold: float) -> dict:
    """The tutorial setup: NameComparison per name column, DateOfBirthComparison, exact
    sex/state/CURP, blocking on name and on birth date; trained on the input (u by sampling,
    m by EM), clustered at the same threshold."""
    import logging

    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from retorno.linkage.pipeline import pairwise_scores

    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    truth = df["true_person_id"].tolist()
    df = df.drop(columns=["true_person_id"]).rename(columns={"event_id": "unique_id"})
    df = df.replace({"": None})
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_names"),
            cl.NameComparison("first_surname"),
            cl.NameComparison("second_surname"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_state"),
            cl.ExactMatch("curp"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_surname", "given_names"),
            block_on("birth_date"),
        ],
    )
    linker = Linker(DuckDBAPI().register(df), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_names", "first_surname", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_surname", "given_names")
    )
    t_train = time.perf_counter() - t0
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    cluster_of = dict(zip(rows["unique_id"], rows["cluster_id"], strict=True))
    predicted = [cluster_of.get(u, "s" + u) for u in df["unique_id"]]
    wall = time.perf_counter() - t0
    return {"wall_seconds": wall, "train_seconds": t_train, **pairwise_scores(truth, predicted)}


def child(which: str, path: Path, threshold: float | None) -> None:
    _setup()
    from retorno.linkage.model import thresholds

    th = thresholds().match if threshold is None else threshold
    result = run_project(path, th) if which == "project" else run_plain(path, th)
    result["threshold"] = th
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_300_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--threshold", type=float, default=None, help="match probability (default thresholds.yaml)"
    )
    parser.add_argument("--only", choices=["project", "plain"], help="run one pipeline")
    parser.add_argument("--input", help="use this generated CSV instead of generating one")
    parser.add_argument("--child", choices=["project", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.input), args.threshold)
        return
    _setup()
    if args.input:
        path = Path(args.input)
    else:
        from retorno.linkage.synthetic import generate_returnees

        path = Path(tempfile.gettempdir()) / f"retorno_bench_{args.events}_{args.seed}.csv"
        t0 = time.perf_counter()
        persons = generate_returnees(events=args.events, seed=args.seed, out=path)
        print(
            f"generated {args.events:,} events of {persons:,} persons (seed {args.seed}) in {time.perf_counter() - t0:.0f}s -> {path}"
        )
    summary = {"events": args.events, "seed": args.seed}
    for which in [args.only] if args.only else ["project", "plain"]:
        cmd = [sys.executable, __file__, "--child", which, "--input", str(path)]
        if args.threshold is not None:
            cmd += ["--threshold", str(args.threshold)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            print(f"{which}: failed\n{out.stderr[-3000:]}")
            continue
        r = json.loads(line[7:])
        summary[which] = r
        print(
            f"{which:8s} precision {r['precision']:.4f} recall {r['recall']:.4f} F1 {r['f1']:.4f} "
            f"wall {r['wall_seconds']:.1f}s peak {r['peak_rss_mb']:.0f} MB (threshold {r['threshold']})"
        )
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
