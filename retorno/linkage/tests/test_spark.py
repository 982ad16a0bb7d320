"""The same pipeline on Splink's Spark backend. pyspark is a test dependency (requirements-dev.lock):
a missing install fails here instead of skipping; only a machine without Java skips."""

import csv
import shutil

import pyspark  # noqa: F401  (fails the test run when the install step is missing)
import pytest
from django.core.management import call_command

from retorno.linkage.pipeline import pairwise_scores

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")


def test_link_on_spark_gives_the_duckdb_result(tmp_path):
    src = tmp_path / "events.csv"
    call_command("generate_returnees", events=400, seed=4, out=str(src))
    duck, spark = tmp_path / "duck.csv", tmp_path / "spark.csv"
    call_command("link", str(src), out=str(duck), quiet=True)
    call_command(
        "link", str(src), out=str(spark), quiet=True, backend="spark", spark_driver_memory="2g",
        spark_master="local[2]",
    )
    truth = [r["true_person_id"] for r in csv.DictReader(src.open())]
    d = [r["person_id"] for r in csv.DictReader(duck.open())]
    s = [r["person_id"] for r in csv.DictReader(spark.open())]
    assert len(s) == len(truth)
    # Same partition of events into persons (numbers may differ): pairwise F1 of one against the other.
    assert pairwise_scores(d, s)["f1"] > 0.99
    assert pairwise_scores(truth, s)["f1"] > 0.9
