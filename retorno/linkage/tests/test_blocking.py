"""Blocking keys stay small on a realistically skewed sample (HERNANDEZ ~5%, JOSE LUIS ~5%)."""

import pytest

from retorno.linkage import model as lm
from retorno.linkage import pipeline
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


@pytest.mark.parametrize("keys", lm.BLOCKING_KEYS, ids=lambda k: "+".join(k))
def test_every_blocking_rule_keeps_blocks_small(frame, keys):
    assert _largest(frame, keys) <= BOUND


def test_naive_surname_blocking_would_explode(frame):
    # The sample is skewed like the population: one surname alone makes a block of ~1000.
    assert _largest(frame, ("sn1",)) > 20 * BOUND
    assert frame["sn1"].value_counts(normalize=True).iloc[0] > 0.03
