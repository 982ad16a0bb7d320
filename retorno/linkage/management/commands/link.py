"""`retorno link`: batch identity linkage of a historical export (see docs/linkage.md)."""

import sys
from datetime import date, datetime, time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from retorno.linkage import pipeline

EXIT_PROBLEMS = 3

HELP = """Link the repatriation events of a CSV export into persons with the Splink model
(data/linkage/model.json) and write OUTPUT.csv with columns event_id,person_id: one row per
input event, in input order; person_id numbers 1.. are local to this run.

INPUT columns (header row; extra columns ignored): event_id, given_names, first_surname,
second_surname, sex (H/M), birth_date (YYYY-MM-DD, or DD/MM/YYYY / MM/DD/YYYY with --date-format
or when every date of the file's first rows is written so; or empty), birth_state (CURP state
code or empty), curp (may be empty). UTF-8, with or without BOM; a Latin-1/CP1252 file is detected
and read as such, with a notice.

Malformed rows are never silently dropped. Each problem is written with its line number to the
error report (--errors, default OUTPUT.errors.csv) and to stderr:
  * a bad field (sex not H/M, date not YYYY-MM-DD, unknown state code, invalid CURP) is treated
    as unknown and the event IS linked and written to OUTPUT;
  * an event with no name at all gets a person_id of its own in OUTPUT;
  * a row that cannot be read as a whole (invalid bytes, a field over 1,000 characters, more or
    fewer fields than the header, a CSV syntax error) or with an empty or repeated event_id
    cannot be written as a distinct output row: it is only in the error report (marked
    excluded_from_output=yes); every other row is linked.
Exit status: 0 when there were no problems, 3 when events were linked and the error report lists
notices or problems (OUTPUT is complete for every usable event), 1 when nothing was linked (the
file cannot be read, or no row could be used; the error report says why).

With --db the Person records of the database are linked instead of a file: pairs at or above the
review threshold are put in the supervisors' review queue (/linkage/); nothing is merged. With
--db --since YYYY-MM-DD only the persons registered or corrected from that date on are compared,
with every live person: the pairs a full relink would give for them, without relinking history."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("input", nargs="?", help="INPUT.csv (omit with --db)")
        parser.add_argument("--out", help="OUTPUT.csv (event_id,person_id)")
        parser.add_argument("--errors", help="error report CSV (default: OUTPUT.errors.csv)")
        parser.add_argument(
            "--db", action="store_true", help="link the database's persons into the review queue"
        )
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="with --db: link only persons registered or corrected from this date on, against all",
        )
        parser.add_argument("--model", help="model JSON (default data/linkage/model.json)")
        parser.add_argument("--train", action="store_true", help="re-estimate the model on this input (EM)")
        parser.add_argument(
            "--save-model", help="with --train: directory to save model.json and term_frequencies.json"
        )
        parser.add_argument(
            "--threshold", type=float, help="match probability for linking (default from thresholds.yaml)"
        )
        parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb", help="Splink backend")
        parser.add_argument(
            "--spark-master",
            default="local[*]",
            help="with --backend spark: the cluster to run on (local[*], spark://host:7077, yarn...)",
        )
        parser.add_argument(
            "--spark-driver-memory",
            default="10g",
            help="with --backend spark: driver memory (1g, Spark's default, and 4g ran out at 90,000 events)",
        )
        parser.add_argument("--spark-executor-memory", default="4g", help="with --backend spark: per executor")
        parser.add_argument("--quiet", action="store_true", help="no progress messages")
        parser.add_argument(
            "--date-format",
            choices=["auto", "iso", "dmy", "mdy"],
            default="auto",
            help="birth_date layout: YYYY-MM-DD (iso), DD/MM/YYYY (dmy), MM/DD/YYYY (mdy); auto detects it",
        )

    def handle(self, *args, **opts):
        progress = None if opts["quiet"] else pipeline.stderr_progress
        threshold = opts["threshold"]
        if threshold is not None and not 0.0 < threshold < 1.0:
            raise CommandError("--threshold must be between 0 and 1")
        spark = None
        if opts["backend"] == "spark":
            spark = _spark_session(
                master=opts["spark_master"],
                driver_memory=opts["spark_driver_memory"],
                executor_memory=opts["spark_executor_memory"],
            )
        since = None
        if opts["since"]:
            if not opts["db"]:
                raise CommandError("--since works with --db (incremental linkage of the database)")
            try:
                day = date.fromisoformat(opts["since"])
            except ValueError as exc:
                raise CommandError(f"--since must be a date as YYYY-MM-DD, got {opts['since']!r}") from exc
            since = timezone.make_aware(datetime.combine(day, time.min))
        if opts["db"]:
            from retorno.linkage.services import review_pairs_from_batch

            created = review_pairs_from_batch(
                match_threshold=threshold,
                progress=progress,
                backend=opts["backend"],
                spark=spark,
                since=since,
            )
            self.stdout.write(f"{created} pair(s) added to the review queue")
            return
        if not opts["input"] or not opts["out"]:
            raise CommandError("give INPUT.csv and --out OUTPUT.csv (or --db)")
        out = Path(opts["out"])
        errors_path = Path(opts["errors"]) if opts["errors"] else out.with_name(out.stem + ".errors.csv")
        try:
            prepared = pipeline.read_input(
                Path(opts["input"]), progress=progress, date_format=opts["date_format"]
            )
        except pipeline.InputFileError as exc:
            # Nothing linked; the error report still says why, for whoever collects it.
            pipeline.write_problems(errors_path, [pipeline.RowProblem(0, "", "file", str(exc), True)])
            raise CommandError(str(exc)) from exc
        if progress:
            progress(f"{len(prepared.event_ids):,} events to link, {len(prepared.problems)} problem(s) found")
        if prepared.event_ids:
            result = pipeline.link_table(
                prepared.table,
                model_path=Path(opts["model"]) if opts["model"] else None,
                match_threshold=threshold,
                backend=opts["backend"],
                spark=spark,
                train=opts["train"],
                progress=progress,
                save_model_dir=Path(opts["save_model"]) if opts["train"] and opts["save_model"] else None,
            )
            person_of = result.person_of
        else:
            person_of = {}
        pipeline.write_output(out, prepared.event_ids, person_of)
        pipeline.write_problems(errors_path, prepared.problems)
        persons = len(set(person_of.values()))
        if not prepared.event_ids:
            raise CommandError(f"no row could be linked; see {errors_path}")
        self.stdout.write(f"{len(prepared.event_ids):,} events linked into {persons:,} persons -> {out}")
        if prepared.problems:
            for p in prepared.problems[:50]:
                self.stderr.write(f"line {p.line}: {p.field}: {p.problem}")
            if len(prepared.problems) > 50:
                self.stderr.write(f"... {len(prepared.problems) - 50} more")
            self.stderr.write(f"{len(prepared.problems)} problem(s) listed in {errors_path}")
            sys.exit(EXIT_PROBLEMS)


def _spark_session(*, master: str, driver_memory: str, executor_memory: str):
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise CommandError("the spark backend needs pyspark (pip install pyspark) and Java 17") from exc
    import tempfile

    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.master(master)
        .appName("retorno-link")
        # Driver memory only takes effect before the JVM starts: set here, not in spark-defaults.
        .config("spark.driver.memory", driver_memory)
        .config("spark.executor.memory", executor_memory)
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    # Splink breaks long query lineages with checkpoints.
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="retorno-spark-"))
    return spark
