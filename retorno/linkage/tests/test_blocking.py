"""Blocking keys stay small on a realistically skewed sample (HERNANDEZ ~5%, JOSE LUIS ~5%)."""

import pytest

from retorno.linkage import pipeline, splink_settings
from retorno.linkage.synthetic import ReturneeGenerator, write_events

pytestmark = pytest.mark.django_db

BOUND = 40  # largest block allowed at 20k events (grows linearly: ~500 at 1.3M)


@pytest.fixture(scope="module")
def frame(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("blk") / "events.csv"
    write_events(ReturneeGenerator(seed=8).events(20_000), path)
    table = pipeline.read_input(path).table
    return table.drop(["given_tokens", "given_words"]).to_pandas()


def _largest(df, keys):
    return int(df.dropna(subset=list(keys)).groupby(list(keys)).size().max())


@pytest.mark.parametrize("keys", splink_settings.BLOCKING_KEYS, ids=lambda k: "+".join(k))
def test_every_blocking_rule_keeps_blocks_small(frame, keys):
    assert _largest(frame, keys) <= BOUND


def test_naive_surname_blocking_would_explode(frame):
    # The sample is skewed like the population: one surname alone makes a block of ~1000.
    assert _largest(frame, ("sn1",)) > 20 * BOUND
    assert frame["sn1"].value_counts(normalize=True).iloc[0] > 0.03


@pytest.mark.parametrize("per_record", [5, 1])
def test_wide_keys_are_used_only_within_the_comparison_budget(frame, monkeypatch, per_record):
    import pyarrow as pa

    monkeypatch.setattr(pipeline, "WIDE_PAIRS_PER_RECORD", per_record)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    chosen = pipeline.affordable_wide_keys(table)
    for keys in splink_settings.WIDE_BLOCKING_KEYS:
        assert (keys in chosen) == (pipeline.comparisons_of(table, keys) <= per_record * table.num_rows)
    # Comparisons grow as N squared, the budget as N: at 20k the two names without a date fit in
    # 5 per record, not in 1 (at 1.3M events none of the wide keys fits in 5).
    assert (("sn1", "given_key") in chosen) == (per_record == 5)


def test_comparisons_of_counts_pairs_agreeing_on_every_key():
    import pyarrow as pa

    table = pa.table({"a": ["x", "x", "x", "y", None], "b": ["1", "1", "2", "1", "1"]})
    assert pipeline.comparisons_of(table, ("a",)) == 3
    assert pipeline.comparisons_of(table, ("a", "b")) == 1
