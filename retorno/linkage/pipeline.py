"""Batch identity linkage on Splink: read an export, compute features, train or load the model,
predict pairs, cluster them into persons (connected components at the match threshold).

Runs on DuckDB by default; `backend="spark"` uses Splink's SparkAPI with the same settings (see
docs/linkage.md). The pipeline never writes to the Django database; `retorno link --db` does that
through retorno.linkage.services.
"""

import csv
import dataclasses
import json
import logging
import math
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pyarrow as pa
from splink import Linker, block_on

from retorno.core.exports import SafeWriter
from retorno.core.reference_loading import deployment_file, read_csv
from retorno.identity import scoring
from retorno.linkage import splink_settings
from retorno.linkage.clustering import constrained_clusters

logger = logging.getLogger(__name__)

REQUIRED_COLUMNS = [
    "event_id",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "birth_state",
    "curp",
]


@cache
def valid_states() -> frozenset[str]:
    """Birth division codes of the deployment's country pack (Mexico's CURP letters and NE,
    Guatemala's department digits...)."""
    return frozenset(r["code"].upper() for r in read_csv(deployment_file("states.csv")))


class InputFileError(Exception):
    """The input file cannot be read at all (missing, not UTF-8, no header, missing columns)."""


@dataclass(frozen=True)
class RowProblem:
    line: int  # physical line number in the file (header = 1)
    event_id: str
    field: str
    problem: str
    excluded: bool  # True: the event is not in the output (no usable event_id)


@dataclass
class PreparedInput:
    event_ids: list[str]  # in input order, one per output row
    table: pa.Table  # features, unique_id = event_id
    problems: list[RowProblem] = field(default_factory=list)
    extra: dict[str, list] = field(default_factory=dict)  # extra columns kept (e.g. truth)


# The birth-date layouts an export may use; "auto" takes the one every date of the file's first
# rows follows (Mexican exports often write DD/MM/YYYY), else ISO.
DATE_FORMATS = {"iso": "%Y-%m-%d", "dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y"}
DATE_SAMPLE = 2000
# Longest field kept: no name, date or CURP is longer; a longer one is a broken row (a missing
# quote that swallowed the following lines), reported, not linked.
FIELD_LIMIT = 1000
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _parse_date(text: str, fmt: str = "iso") -> date | None:
    if fmt == "iso":
        return date.fromisoformat(text) if len(text) == 10 else None
    return datetime.strptime(text, DATE_FORMATS[fmt]).date()


def detect_date_format(dates: list[str]) -> tuple[str, str]:
    """(format, notice) from a sample of the file's non-empty birth dates."""
    if not dates or all(_ISO.fullmatch(d) for d in dates):
        return "iso", ""
    slashed = [_SLASHED.fullmatch(d) for d in dates]
    if not all(slashed):
        return "iso", ""  # mixed: each non-ISO date is reported on its row
    first_over_12 = any(int(m.group(1)) > 12 for m in slashed)
    second_over_12 = any(int(m.group(2)) > 12 for m in slashed)
    if second_over_12 and not first_over_12:
        return "mdy", "birth dates read as MM/DD/YYYY (detected: the second part goes above 12)"
    if first_over_12 and not second_over_12:
        return "dmy", "birth dates read as DD/MM/YYYY (detected: the first part goes above 12)"
    return (
        "dmy",
        "birth dates read as DD/MM/YYYY (ambiguous sample; give --date-format mdy if they are US dates)",
    )


def detect_encoding(sample: bytes) -> tuple[str, str]:
    """(encoding, notice): UTF-8 (a BOM is skipped) unless the sample has non-ASCII bytes and no
    valid UTF-8 sequence at all, which is how a Latin-1/CP1252 export looks; then CP1252. A few
    invalid bytes in an otherwise UTF-8 file are left to the rows that hold them."""
    text = sample.decode("utf-8", errors="replace")
    if "\ufffd" not in text:
        return "utf-8-sig", ""
    valid_multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in text)
    if valid_multibyte:
        return "utf-8-sig", ""
    return "cp1252", "the file is not UTF-8: read as Latin-1/CP1252 (Windows export)"


def _columns_table(cols: dict[str, list]) -> pa.Table:
    arrays = {}
    for name, values in cols.items():
        if name in ("given_tokens", "given_words"):
            arrays[name] = pa.array(values, type=pa.list_(pa.string()))
        else:
            arrays[name] = pa.array(values, type=pa.string())
    return pa.table(arrays)


def _sample_dates(path: Path, encoding: str, column: int) -> list[str]:
    dates: list[str] = []
    with Path(path).open(encoding=encoding, errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        while len(dates) < DATE_SAMPLE:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                continue
            if len(row) > column and row[column].strip():
                dates.append(row[column].strip())
    return dates


def read_input(
    path: Path,
    *,
    keep_columns: Iterable[str] = (),
    progress: Callable[[str], None] | None = None,
    date_format: str = "auto",
) -> PreparedInput:
    """Read and validate the INPUT CSV; compute the features of every usable row.

    Field problems (bad sex, date, state or CURP) are reported and the field treated as unknown;
    the event is still linked. Rows that cannot be read as a whole (invalid bytes, a field longer
    than FIELD_LIMIT, more or fewer fields than the header, a CSV syntax error), without an
    event_id or repeating one already seen are reported and excluded; every other row is linked.
    The encoding (UTF-8 or CP1252) and, with `date_format="auto"`, the date layout are detected,
    with a notice (line 1). Raises InputFileError when the file itself is unusable.
    """
    keep_columns = list(keep_columns)
    cols: dict[str, list] = {name: [] for name in ["unique_id", *scoring.FEATURE_COLUMNS]}
    extra: dict[str, list] = {name: [] for name in keep_columns}
    problems: list[RowProblem] = []
    event_ids: list[str] = []
    seen: set[str] = set()
    try:
        with Path(path).open("rb") as raw:
            sample = raw.read(1 << 20)
    except OSError as exc:
        raise InputFileError(f"cannot open {path}: {exc.strerror}") from exc
    encoding, notice = detect_encoding(sample)
    if notice:
        problems.append(RowProblem(1, "", "file", notice, False))
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    fh = Path(path).open(encoding=encoding, errors="surrogateescape", newline="")
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InputFileError(f"{path}: the header row is not CSV ({exc})") from exc
        if not header:
            raise InputFileError(f"{path}: empty file, expected a header row")
        header = [h.strip().lower() for h in header]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise InputFileError(f"{path}: missing column(s) {', '.join(missing)}")
        index = {name: header.index(name) for name in [*REQUIRED_COLUMNS, *keep_columns] if name in header}
        if date_format == "auto":
            date_format, notice = detect_date_format(_sample_dates(path, encoding, index["birth_date"]))
            if notice:
                problems.append(RowProblem(1, "", "birth_date", notice, False))
        date_label = {"iso": "YYYY-MM-DD", "dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY"}[date_format]
        start_line = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(RowProblem(reader.line_num, "", "row", f"not readable as CSV: {exc}", True))
                start_line = reader.line_num
                continue
            line = start_line + 1
            start_line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank line: no event
            first = row[index["event_id"]].strip()[:40] if len(row) > index["event_id"] else ""
            broken = _row_problem(row, len(header))
            if broken:
                problems.append(RowProblem(line, "" if "bytes" in broken else first, "row", broken, True))
                continue
            value = {name: row[i].strip() for name, i in index.items()}
            event_id = value["event_id"]
            if not event_id:
                problems.append(RowProblem(line, "", "event_id", "empty event_id", True))
                continue
            if event_id in seen:
                problems.append(RowProblem(line, event_id, "event_id", "duplicate event_id", True))
                continue
            seen.add(event_id)
            sex = value["sex"].upper()
            if sex not in ("H", "M"):
                if sex:
                    problems.append(
                        RowProblem(line, event_id, "sex", f"sex must be H or M, got {sex[:20]!r}", False)
                    )
                sex = ""
            birth = None
            if value["birth_date"]:
                try:
                    birth = _parse_date(value["birth_date"], date_format)
                except ValueError:
                    birth = None
                if birth is None:
                    problems.append(
                        RowProblem(
                            line,
                            event_id,
                            "birth_date",
                            f"not a {date_label} date: {value['birth_date'][:20]!r}",
                            False,
                        )
                    )
            state = value["birth_state"].upper()
            if state and state not in valid_states():
                problems.append(
                    RowProblem(
                        line, event_id, "birth_state", f"unknown birth state code {state[:20]!r}", False
                    )
                )
                state = ""
            curp = value["curp"]
            if curp and scoring.clean_curp(curp) is None:
                problems.append(RowProblem(line, event_id, "curp", f"invalid national id (CURP) {curp[:20]!r}", False))
                curp = ""
            if not (value["given_names"] or value["first_surname"] or value["second_surname"]):
                problems.append(
                    RowProblem(
                        line,
                        event_id,
                        "given_names",
                        "no name: the event gets a person of its own",
                        False,
                    )
                )
            feats = scoring.features(
                given_names=value["given_names"][:200],
                first_surname=value["first_surname"][:200],
                second_surname=value["second_surname"][:200],
                sex=sex,
                birth_date=birth,
                birth_state=state,
                curp=curp,
            )
            event_ids.append(event_id)
            cols["unique_id"].append(event_id)
            for name in scoring.FEATURE_COLUMNS:
                cols[name].append(feats[name])
            for name in keep_columns:
                extra[name].append(value.get(name, ""))
            if progress and len(event_ids) % 100_000 == 0:
                progress(f"read {len(event_ids):,} events")
    return PreparedInput(event_ids, _columns_table(cols), problems, extra)


# Undecodable bytes (read with errors="surrogateescape") or a NUL: one search over the whole row.
_BAD_CHARACTERS = re.compile("[\udc80-\udcff\x00]")


def _row_problem(row: list[str], expected: int) -> str:
    """Why a row cannot be read as a whole, or ""."""
    if len(row) != expected:
        return f"{len(row)} fields, the header has {expected} (an unquoted comma or a missing field?)"
    bad = _BAD_CHARACTERS.search("".join(row))
    if bad:
        return (
            "a NUL byte (binary data in the file?)"
            if bad.group() == "\x00"
            else "invalid bytes for the file's encoding"
        )
    longest = max(map(len, row), default=0)
    if longest > FIELD_LIMIT:
        return f"a field of {longest:,} characters (longer than {FIELD_LIMIT}; a missing quote?)"
    return ""


DUCKDB_MEMORY_LIMIT = os.environ.get("RETORNO_DUCKDB_MEMORY_LIMIT", "2GB")


def _db_api(backend: str, spark=None):
    if backend == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=spark)
    import duckdb
    from splink import DuckDBAPI

    # DuckDB takes up to 80% of the machine's memory by default; bounded, it spills to disk.
    connection = duckdb.connect()
    connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    connection.execute(f"SET temp_directory = '{Path(tempfile.gettempdir()) / 'retorno_duckdb'}'")
    return DuckDBAPI(connection=connection)


def _register(db_api, table: pa.Table, backend: str, name: str = "records"):
    if backend == "spark":
        return db_api.register(table.to_pandas(), dataset_display_name=name)
    return db_api.register(table, dataset_display_name=name)


def term_frequencies(table: pa.Table, columns=("given_key", "sn1")) -> dict[str, dict[str, float]]:
    """Relative frequency of each value among non-null values, as Splink computes its tf tables."""
    out = {}
    for column in columns:
        counts = Counter(v for v in table.column(column).to_pylist() if v is not None)
        total = sum(counts.values()) or 1
        out[column] = {k: c / total for k, c in counts.items()}
    return out


def train_model(
    table: pa.Table,
    *,
    out_dir: Path | None = None,
    backend: str = "duckdb",
    spark=None,
    max_pairs: float = 5e6,
    seed: int = 42,
) -> Linker:
    """Estimate the model on `table` (features): prior from deterministic rules, u by random
    sampling, m by EM on two blockings that each leave the other comparisons free. Saves
    model.json and term_frequencies.json into `out_dir` when given."""
    db_api = _db_api(backend, spark)
    linker = Linker(
        _register(db_api, table, backend), splink_settings.settings_creator(), log_level=logging.WARNING
    )
    linker.training.estimate_probability_two_random_records_match(
        [block_on("curp"), block_on("sn1", "sn2", "given_key", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("sn1", "given_key"))
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        linker.misc.save_model_to_json(str(out_dir / "model.json"), overwrite=True)
        (out_dir / "training.json").write_text(json.dumps({"records": table.num_rows}), encoding="utf-8")
        tf = term_frequencies(table)
        # Rare values add nothing to the desk's adjustment beyond the level's own u: keep the file small.
        tf = {col: {k: round(v, 8) for k, v in vals.items() if v >= 1e-5} for col, vals in tf.items()}
        (out_dir / "term_frequencies.json").write_text(
            json.dumps(tf, sort_keys=True, indent=0), encoding="utf-8"
        )
    return linker


def prepared_settings(model_path: Path, records: int | None = None) -> dict:
    """The saved model as Splink settings, with the disagreement floors applied and the prior
    stated per record. Training measured the prior p on N_train records, that is
    p * (N_train - 1) expected other records of the same person per record; on a file of N
    records that expectation is spread over its N - 1 others, but never over more than N_train:
    above the training size the same evidence keeps the same match probability (rescaling as
    1/N without end made the same evidence fall below the threshold on bigger files), and the
    crowding of namesakes in a big file is met by term frequencies and by clustering, which never
    joins two different valid CURPs and asks more of a link that would merge two persons. Below
    it a small file, with fewer namesakes to confuse, needs less evidence."""
    settings = scoring.read_settings(model_path)
    meta = model_path.parent / "training.json"
    trained_on = json.loads(meta.read_text(encoding="utf-8")).get("records") if meta.exists() else None
    if trained_on and records and 1 < records < trained_on:
        prior = settings["probability_two_random_records_match"] * (trained_on - 1) / (records - 1)
        settings["probability_two_random_records_match"] = min(prior, 0.5)
    return settings


def _python_scorer(
    table: pa.Table, uids: list[str], model: scoring.SavedModel | None = None
) -> Callable[[str, str], float]:
    """Match weight of any two records of `table`, scored in Python with the saved model (for
    the clustering's checks across two persons); rows are read from the Arrow table on demand."""
    columns = {name: table.column(name) for name in scoring.FEATURE_COLUMNS}
    row_of = {u: i for i, u in enumerate(uids)}
    model = model or scoring.saved_model()

    def features(uid: str) -> dict:
        i = row_of[uid]
        return {name: values[i].as_py() for name, values in columns.items()}

    return lambda a, b: scoring.score_pair(features(a), features(b), model).match_weight


# Comparisons a wide blocking key may add, per input record (see splink_settings.WIDE_BLOCKING_KEYS).
WIDE_PAIRS_PER_RECORD = 5


def comparisons_of(table: pa.Table, keys: tuple[str, ...]) -> int:
    """Pairs of records that agree on all of `keys` (none null): what that blocking rule makes."""
    present = table.select(list(keys)).drop_null()
    if present.num_rows < 2:
        return 0
    counts = present.group_by(list(keys)).aggregate([([], "count_all")]).column("count_all").to_pylist()
    return sum(c * (c - 1) // 2 for c in counts)


def affordable_wide_keys(table: pa.Table) -> list[tuple[str, ...]]:
    budget = WIDE_PAIRS_PER_RECORD * table.num_rows
    return [keys for keys in splink_settings.WIDE_BLOCKING_KEYS if comparisons_of(table, keys) <= budget]


# Below this many records the input's own name frequencies are noise (two of three records named
# HERNANDEZ would make it 67% of the population): the saved table from training is used.
TF_FROM_INPUT_MIN_ROWS = 10_000
TF_FLOOR = 1e-5  # the saved table keeps values at least this frequent


def _use_saved_term_frequencies(
    linker, db_api, table: pa.Table, backend: str, model: scoring.SavedModel
) -> None:
    """Register the saved frequencies as Splink's term-frequency lookups. A value the saved table
    does not know (a name foreign to the training data, or rarer than its cut-off) takes its
    frequency in this input: the saved table's floor made every unknown name look extremely rare,
    and two EMMA WHITEs born 50 years apart were linked."""
    for column, values in model.term_frequencies.items():
        own = term_frequencies(table, (column,))[column]
        present = sorted(own)
        frequencies = [values.get(v) or max(own[v], TF_FLOOR) for v in present]
        lookup = pa.table({column: present, f"tf_{column}": frequencies})
        linker.table_management.register_term_frequency_lookup(
            _register(db_api, lookup, backend, name=f"tf_{column}"), column
        )


@dataclass
class LinkResult:
    person_of: dict[str, int]  # unique_id -> person number (1.. in input order)
    pairs: list[tuple[str, str, float]]  # unique_id_l, unique_id_r, match_probability (>= review)
    seconds: dict[str, float]


def link_table(
    table: pa.Table,
    *,
    model_path: Path | None = None,
    match_threshold: float | None = None,
    review_threshold: float | None = None,
    backend: str = "duckdb",
    spark=None,
    train: bool = False,
    progress: Callable[[str], None] | None = None,
    keep_pairs: bool = False,
    save_model_dir: Path | None = None,
    new_ids: Collection[str] | None = None,
) -> LinkResult:
    """Link the records of `table` (features with unique_id) into persons. With `new_ids` only
    pairs with at least one new record are compared (incremental linkage): their scores are
    those of a full relink, since the prior, the wide keys and the term frequencies still come
    from the whole table."""
    if train and new_ids is not None:
        raise ValueError("incremental linkage uses the saved model: it cannot train on the input")
    say = progress or (lambda msg: None)
    thresholds = scoring.thresholds()
    match_threshold = thresholds.match if match_threshold is None else match_threshold
    review_threshold = thresholds.review if review_threshold is None else review_threshold
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    scorer_model = None
    if train:
        say("training the model on the input (EM)")
        with tempfile.TemporaryDirectory() as scratch:
            out_dir = save_model_dir or Path(scratch)
            linker = train_model(table, backend=backend, spark=spark, out_dir=out_dir)
            scorer_model = scoring.load_saved_model(out_dir / "model.json")
    else:
        db_api = _db_api(backend, spark)
        model = Path(model_path or scoring.model_dir() / "model.json")
        # Rebuilt from the code's comparisons and blocking with the saved m/u: the SQL suits the
        # backend, and blocking is the code's, not what was saved with the model.
        prepared = prepared_settings(model, table.num_rows)
        wide = affordable_wide_keys(table)
        if wide:
            say("wider blocking for this input: " + "; ".join("+".join(k) for k in wide))
        settings = splink_settings.settings_creator(
            trained=prepared, spark=backend == "spark", wide=wide, only_new=new_ids is not None
        )
        if new_ids is not None:
            new = set(new_ids)
            flags = [u in new for u in table.column("unique_id").to_pylist()]
            table = table.append_column("is_new", pa.array(flags, pa.bool_()))
        prior = prepared["probability_two_random_records_match"]
        scorer_model = dataclasses.replace(
            scoring.load_saved_model(model), prior_weight=math.log2(prior / (1 - prior))
        )
        linker = Linker(_register(db_api, table, backend), settings, log_level=logging.WARNING)
        if table.num_rows < TF_FROM_INPUT_MIN_ROWS:
            _use_saved_term_frequencies(linker, db_api, table, backend, scorer_model)
    times["setup"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    say("scoring candidate pairs")
    predictions = linker.inference.predict(
        threshold_match_probability=min(review_threshold, match_threshold), warning_mode="never"
    )
    times["predict"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    say("clustering pairs into persons")
    # Only the columns and rows needed leave the database (all of the predictions' columns as
    # pandas cost 4 GB at 1.3M events).
    links = linker.misc.query_sql(
        "SELECT CAST(unique_id_l AS STRING) AS l, CAST(unique_id_r AS STRING) AS r, match_weight, "
        f"match_probability FROM {predictions.physical_name} WHERE match_probability >= {float(match_threshold)!r} "
        f"AND NOT {scoring.possible_twins_sql()}",
        output_type="pandas",
    )
    left, right = links["l"].tolist(), links["r"].tolist()
    probability = links["match_probability"].astype(float).tolist()
    # Only the links' own weights are kept: other pairs across two persons are scored on demand.
    known = {
        (a, b) if a < b else (b, a): w
        for a, b, w in zip(left, right, links["match_weight"].astype(float).tolist(), strict=True)
    }
    del links
    pairs: list[tuple[str, str, float]] = []
    if keep_pairs:
        every = linker.misc.query_sql(
            "SELECT CAST(unique_id_l AS STRING) AS l, CAST(unique_id_r AS STRING) AS r, "
            f"match_probability FROM {predictions.physical_name}",
            output_type="pandas",
        )
        pairs = list(zip(every["l"], every["r"], every["match_probability"].astype(float), strict=True))
        del every
    uids = [str(u) for u in table.column("unique_id").to_pylist()]
    person_of, stats = constrained_clusters(
        uids,
        zip(left, right, probability, strict=True),
        curp_of=dict(zip(uids, table.column("curp").to_pylist(), strict=True)).get,
        pair_weight=_python_scorer(table, uids, scorer_model),
        join_probability=min(review_threshold, match_threshold),
        known=known,
    )
    say(
        f"{stats.merged:,} links made; refused: {stats.refused_curp:,} joining two CURPs, "
        f"{stats.refused_weak:,} weak across two persons ({stats.cross_scored:,} pairs scored)"
    )
    times["cluster"] = time.perf_counter() - t0
    return LinkResult(person_of, pairs, times)


def write_output(path: Path, event_ids: list[str], person_of: dict[str, int]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = SafeWriter(fh)
        writer.writerow(["event_id", "person_id"])
        for event_id in event_ids:
            writer.writerow([event_id, person_of[event_id]])


def write_problems(path: Path, problems: list[RowProblem]) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = SafeWriter(fh)
        writer.writerow(["line", "event_id", "field", "problem", "excluded_from_output"])
        for p in problems:
            writer.writerow([p.line, p.event_id, p.field, p.problem, "yes" if p.excluded else "no"])


def pairwise_scores(truth: list, predicted: list) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the truth, counted from the
    contingency table (no pair enumeration: fine for millions of records)."""

    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    both = pairs(Counter(zip(truth, predicted, strict=True)))
    true_pairs = pairs(Counter(truth))
    pred_pairs = pairs(Counter(predicted))
    precision = both / pred_pairs if pred_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
    }


def stderr_progress(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
