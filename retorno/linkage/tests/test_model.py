"""The model's comparisons: edge cases scored with the saved weights, and Splink agreement."""

import logging
import math
from datetime import date
from pathlib import Path

import pytest
from splink import DuckDBAPI, Linker

from retorno.identity import scoring
from retorno.linkage import pipeline, splink_settings
from retorno.linkage.synthetic import ReturneeGenerator, curp_for


def feats(**kw):
    base = dict(
        given_names="José Luis",
        first_surname="Hernández",
        second_surname="García",
        sex="H",
        birth_date=date(1985, 3, 7),
        birth_state="MN",
        curp="",
    )
    base.update(kw)
    return scoring.features(**base)


def prob(a, b):
    return scoring.score_pair(a, b).match_probability


def test_identical_records_are_a_match():
    assert prob(feats(), feats()) > 0.99


def test_swapped_surnames_still_match():
    s = scoring.score_pair(feats(), feats(first_surname="García", second_surname="Hernández"))
    assert s.levels["surnames"] == "swapped"
    assert s.match_probability > scoring.thresholds().match


def test_missing_second_surname_still_matches():
    s = scoring.score_pair(feats(), feats(second_surname=""))
    assert s.levels["surnames"] == "first exact, a second missing"
    assert s.match_probability > scoring.thresholds().match


def test_shortened_compound_name_and_nickname_match():
    a = feats(given_names="María Guadalupe", sex="M")
    for typed in ("Guadalupe", "Lupe", "MA. GUADALUPE"):
        s = scoring.score_pair(a, feats(given_names=typed, sex="M"))
        assert s.levels["given_name"] == "exact", typed
        assert s.match_probability > scoring.thresholds().match


def test_given_name_and_first_surname_exchanged_weigh_as_typed_in_place():
    """A US form's order ("Hernández" as the first name, "José Luis" as the last): the pair is
    aligned, and each name counts once, as when typed in its place (not the crossing's own tiny
    chance counted twice)."""
    exchanged = scoring.score_pair(feats(), feats(given_names="Hernández", first_surname="Luis"))
    in_place = scoring.score_pair(feats(), feats(given_names="Luis"))
    assert exchanged.levels["given_name"] == "exchanged with the first surname"
    assert exchanged.levels["surnames"] == "both exact"
    assert exchanged.match_probability > scoring.thresholds().match
    assert exchanged.match_weight == pytest.approx(in_place.match_weight, abs=1e-9)
    # The weight is shared, not a level of its own: without the crossing it is another person.
    half = scoring.score_pair(feats(), feats(given_names="Hernández", first_surname="Ruiz"))
    assert half.levels["given_name"] == "else" and half.match_probability < scoring.thresholds().review


def test_exchanged_names_are_compared_without_a_second_surname_or_a_date():
    """No second surname and one birth date missing: only the exchange rule puts the two records
    in one block (every other key needs a date or the names in their own fields)."""

    def row(uid, given, first, born):
        return {
            "unique_id": uid,
            **scoring.features(
                given_names=given, first_surname=first, sex="H", birth_date=born, birth_state="MN"
            ),
        }

    rows = [row("a", "Adrián", "Medellín", date(1975, 9, 19)), row("b", "Medellín", "Adrian", None)]
    table = pipeline._columns_table(
        {c: [r[c] for r in rows] for c in ["unique_id", *scoring.FEATURE_COLUMNS]}
    )
    result = pipeline.link_table(table, keep_pairs=True)
    assert [(a, b) for a, b, _ in result.pairs] in ([("a", "b")], [("b", "a")])


def test_compound_name_keeping_first_word_shares_a_word():
    s = scoring.score_pair(feats(given_names="Juan Carlos"), feats(given_names="Carlos"))
    assert s.levels["given_name"] == "shared name word"


def test_swapped_day_and_month_is_a_level_of_its_own():
    s = scoring.score_pair(feats(), feats(birth_date=date(1985, 7, 3)))
    assert s.levels["birth_date"] == "day and month swapped"
    assert s.match_probability > scoring.thresholds().match


def test_different_person_with_common_names_is_not_a_match():
    s = scoring.score_pair(
        feats(), feats(given_names="Pedro", birth_date=date(1979, 11, 21), second_surname="Ruiz")
    )
    assert s.match_probability < scoring.thresholds().review


def test_same_curp_is_strong_evidence_for():
    curp = curp_for(
        given_names="José Luis",
        first_surname="Hernández",
        second_surname="García",
        sex="H",
        birth_date=date(1985, 3, 7),
        state="MN",
    )
    without = scoring.score_pair(feats(), feats(given_names="Luis", second_surname="", birth_date=None))
    with_curp = scoring.score_pair(
        feats(curp=curp), feats(given_names="Luis", second_surname="", birth_date=None, curp=curp)
    )
    assert with_curp.levels["curp"] == "exact"
    assert with_curp.match_weight > without.match_weight + 10
    assert with_curp.match_probability > scoring.thresholds().match


def test_different_valid_curps_are_strong_evidence_against():
    c1 = curp_for(
        given_names="José Luis",
        first_surname="Hernández",
        second_surname="García",
        sex="H",
        birth_date=date(1985, 3, 7),
        state="MN",
    )
    c2 = curp_for(
        given_names="José Luis",
        first_surname="Hernández",
        second_surname="García",
        sex="H",
        birth_date=date(1985, 3, 7),
        state="GR",
    )
    s = scoring.score_pair(feats(curp=c1), feats(curp=c2))
    assert s.levels["curp"] == "different CURP"
    assert s.match_probability < scoring.thresholds().review


def test_invalid_curp_is_ignored():
    assert scoring.features(curp="ABCD")["curp"] is None


def test_python_levels_agree_with_splink_on_generated_pairs():
    """The desk's Python predicates must put each pair in the level Splink puts it in."""
    gen = ReturneeGenerator(seed=3)
    rows = gen.events(600)
    table = pipeline._columns_table(
        {
            "unique_id": [r["event_id"] for r in rows],
            **{
                col: [
                    scoring.features(
                        given_names=r["given_names"],
                        first_surname=r["first_surname"],
                        second_surname=r["second_surname"],
                        sex=r["sex"],
                        birth_date=date.fromisoformat(r["birth_date"]) if r["birth_date"] else None,
                        birth_state=r["birth_state"],
                        curp=r["curp"],
                    )[col]
                    for r in rows
                ]
                for col in scoring.FEATURE_COLUMNS
            },
        }
    )
    db = DuckDBAPI()
    settings = pipeline.prepared_settings(scoring.model_dir() / "model.json")
    settings["retain_intermediate_calculation_columns"] = True
    linker = Linker(db.register(table), settings, log_level=logging.WARNING)
    df = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
    assert len(df) > 100
    by_id = {
        u: {c: table.column(c)[i].as_py() for c in table.column_names}
        for i, u in enumerate(table.column("unique_id").to_pylist())
    }
    specs = scoring.comparisons()
    model = scoring.saved_model()
    checked = 0
    for _, row in df.iterrows():
        a, b = by_id[row["unique_id_l"]], by_id[row["unique_id_r"]]
        for spec in specs:
            gamma = int(row[f"gamma_{spec.name}"])
            # Splink numbers levels from the top (else = 0, null = -1).
            expected = -1 if gamma == -1 else len(spec.levels) - 1 - gamma
            got = spec.level_of(a, b)
            assert got == (0 if expected == -1 else expected), (spec.name, a, b)
            # Same Bayes factor per level (term-frequency adjustments aside: Splink takes them
            # from this input, the desk from the saved table).
            python_weight = model.level_weights[spec.name][got] or 0.0
            assert python_weight == pytest.approx(row[f"mw_{spec.name}"], abs=0.01), spec.name
            column = spec.levels[got].tf_column
            if column:
                # Term-frequency adjustment: log2(u_exact / larger term frequency), as score_pair.
                exact = next(i for i, lvl in enumerate(spec.levels) if lvl.exact_of == column)
                u = model.level_u[spec.name][exact]
                tf = max(row[f"tf_{column}_l"], row[f"tf_{column}_r"])
                assert row[f"mw_tf_adj_{spec.name}"] == pytest.approx(math.log2(u / tf), abs=0.01)
            checked += 1
    assert checked > 100


def test_settings_rebuilt_from_code_score_like_the_saved_json(tmp_path):
    """The Spark path rebuilds the settings from the code with the saved m/u: same scores."""
    from retorno.linkage.synthetic import write_events

    path = tmp_path / "e.csv"
    write_events(ReturneeGenerator(seed=12).events(500), path)
    table = pipeline.read_input(path).table
    saved = pipeline.prepared_settings(scoring.model_dir() / "model.json")
    results = []
    for settings in (saved, splink_settings.settings_creator(trained=saved)):
        linker = Linker(DuckDBAPI().register(table), settings, log_level=logging.WARNING)
        df = linker.inference.predict(warning_mode="never").as_pandas_dataframe()
        results.append(
            dict(
                zip(
                    zip(df["unique_id_l"], df["unique_id_r"], strict=False),
                    df["match_weight"].round(6),
                    strict=False,
                )
            )
        )
    # The saved JSON keeps the blocking it was trained with; the code's may add rules. Every pair
    # the two both score gets the same weight.
    common = results[0].keys() & results[1].keys()
    assert len(common) > 50 and all(results[0][k] == results[1][k] for k in common)


def test_incremental_linkage_scores_the_new_records_pairs_as_a_full_relink(tmp_path):
    """Issue 10, item 7: link_table(new_ids=...) compares only pairs with a new record, and
    those get the pairs and probabilities of linking everything."""
    from retorno.linkage.synthetic import write_events

    path = tmp_path / "e.csv"
    write_events(ReturneeGenerator(seed=21).events(3000), path)
    table = pipeline.read_input(path).table
    uids = table.column("unique_id").to_pylist()
    new = set(uids[-300:])
    full = pipeline.link_table(table, keep_pairs=True)
    incremental = pipeline.link_table(table, keep_pairs=True, new_ids=new)

    def with_new(result):
        return {(min(a, b), max(a, b)): round(p, 6) for a, b, p in result.pairs if a in new or b in new}

    assert with_new(full) and with_new(incremental) == with_new(full)
    assert all(a in new or b in new for a, b, _ in incremental.pairs)


def test_possible_twins_are_sent_to_review_not_linked():
    """Both surnames and the birth date the same, given names wholly different: twins are not
    merged automatically, however strong the rest; the pair stays for human review."""

    def row(uid, given):
        return {
            "unique_id": uid,
            **scoring.features(
                given_names=given,
                first_surname="Ortega",
                second_surname="Nava",
                sex="H",
                birth_date=date(2004, 3, 14),
                birth_state="MN",
            ),
        }

    rows = [row("t1", "Kevin"), row("t2", "Brandon"), row("t3", "Kevin")]
    table = pipeline._columns_table(
        {c: [r[c] for r in rows] for c in ["unique_id", *scoring.FEATURE_COLUMNS]}
    )
    result = pipeline.link_table(table, keep_pairs=True)
    probability = {(min(a, b), max(a, b)): p for a, b, p in result.pairs}
    assert probability[("t1", "t2")] >= scoring.thresholds().match  # the evidence alone would link them
    assert result.person_of["t1"] == result.person_of["t3"] != result.person_of["t2"]


def test_a_country_with_its_own_trained_model_uses_it(settings, tmp_path):
    """data/linkage/<cc>/model.json wins over Mexico's model; thresholds fall back to Mexico's."""
    import shutil

    base = tmp_path / "linkage"
    base.mkdir()
    for name in ("model.json", "thresholds.yaml"):
        shutil.copy(Path(settings.DATA_DIR) / "linkage" / name, base / name)
    settings.DATA_DIR = tmp_path
    settings.RETORNO_COUNTRY = "gt"
    assert scoring.model_dir() == base
    (base / "gt").mkdir()
    shutil.copy(base / "model.json", base / "gt" / "model.json")
    assert scoring.model_dir() == base / "gt"
    scoring.thresholds.cache_clear()
    try:
        assert 0 < scoring.thresholds().review < scoring.thresholds().match <= 1
    finally:
        scoring.thresholds.cache_clear()
