"""The one scoring home of identity resolution, shared by the desk and the batch linkage.

Features, comparisons and weights live here. One list of comparisons defines both the Splink
comparison levels (SQL, for DuckDB or Spark: used by retorno.linkage) and the same levels as
Python predicates, so the desk (retorno.identity.matching) scores a pair with the trained
model's m/u values without a Splink round-trip. A test checks that Splink and
the Python predicates put the same pairs in the same levels.

Record features (see `features`): names normalised with RENAPO's CURP rules
(retorno.identity.names), nicknames expanded from data, a Spanish phonetic key, date keys that
tolerate a swapped day and month, and the CURP.
"""

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
import yaml
from django.conf import settings
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from retorno.identity import names
from retorno.identity.national_ids import InvalidNationalId, national_id_scheme

FEATURE_COLUMNS = [
    "given_key",
    "given_tokens",
    "given_words",
    "sn1",
    "sn2",
    "sn1_phon",
    "sn2_phon",
    "given_phon",
    "dob",
    "dob_swapped",
    "dob_key",
    "yob",
    "dm_key",
    "sex",
    "birth_state",
    "curp",
    "curp16",
]


def model_dir() -> Path:
    """The linkage model's folder: RETORNO_LINKAGE_MODEL_DIR, else the country's own trained model
    (data/linkage/<cc>/model.json, made with `retorno link FILE --train --save-model`), else the
    model trained on Mexico's data (data/linkage/)."""
    configured = getattr(settings, "RETORNO_LINKAGE_MODEL_DIR", None)
    if configured:
        return Path(configured)
    base = Path(settings.DATA_DIR) / "linkage"
    own = base / str(getattr(settings, "RETORNO_COUNTRY", "mx"))
    return own if (own / "model.json").exists() else base


# --- Features ----------------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _given(given_names: str) -> tuple[str | None, tuple[str, ...] | None, tuple[str, ...] | None]:
    key = names.canonical_given_name(given_names) or None
    words = names.given_name_tokens(given_names)
    # MARIA/JOSE alone say little ("María Elena" vs "María Luisa"): kept apart in given_words.
    tokens = [t for t in words if t not in names.SKIPPED_FIRST_GIVEN] or words
    return key, (tuple(sorted(tokens)) or None), (tuple(sorted(words)) or None)


@lru_cache(maxsize=200_000)
def _phonetic(key: str | None) -> str | None:
    return (names.spanish_phonetic_key(key) or None) if key else None


@lru_cache(maxsize=200_000)
def _surname(text: str) -> tuple[str | None, str | None]:
    k = names.key(text) or None
    return k, (names.spanish_phonetic_key(text) or None) if k else None


def _split_merged_surnames(first: str, second: str) -> tuple[str, str]:
    """Both surnames typed into the first field ('Pérez López', second empty) are read as two:
    desks do this in about 4-8% of events. A name with a particle ('Ponce de León', 'De la Cruz')
    is one surname and stays whole."""
    if second and second.strip():
        return first, second
    words = names.normalize(first).split()
    if len(words) == 2 and not any(w in names.PARTICLES for w in words):
        return words[0], words[1]
    return first, second


_CURP_SHAPE = re.compile(r"[A-Z]{4}\d{6}[HMX][A-Z]{5}")


def curp_stem16(value: str | None) -> str | None:
    """The first 16 characters of anything shaped like a CURP, valid or not: a typo in the last
    two characters (or in the check digit) still blocks the pair; it is never evidence itself."""
    if not value:
        return None
    text = value.strip().upper()
    return text[:16] if _CURP_SHAPE.fullmatch(text[:16]) else None


def _swap(d: date) -> date | None:
    if d.day > 12 or d.day == d.month:
        return None
    try:
        return d.replace(month=d.day, day=d.month)
    except ValueError:
        return None


@lru_cache(maxsize=200_000)
def clean_curp(value: str | None) -> str | None:
    """The national id (a CURP in Mexico) compacted if valid, else None: an invalid number is no
    evidence."""
    if not value or not value.strip():
        return None
    try:
        return national_id_scheme().validate(value)
    except InvalidNationalId:
        return None


def features(
    *,
    given_names: str = "",
    first_surname: str = "",
    second_surname: str = "",
    sex: str = "",
    birth_date: date | None = None,
    birth_state: str = "",
    curp: str = "",
) -> dict[str, Any]:
    """The comparison columns of one record (None for unknown). With no first surname the second
    takes its place, as RENAPO does."""
    given_key, tokens, words = _given(given_names or "")
    first_surname, second_surname = _split_merged_surnames(first_surname or "", second_surname or "")
    sn1, phon = _surname(first_surname)
    sn2, phon2 = _surname(second_surname)
    if sn1 is None and sn2 is not None:
        sn1, phon, sn2, phon2 = sn2, phon2, None, None
    swapped = _swap(birth_date) if birth_date else None
    return {
        "given_key": given_key,
        "given_tokens": list(tokens) if tokens else None,
        "given_words": list(words) if words else None,
        "sn1": sn1,
        "sn2": sn2,
        "sn1_phon": phon,
        "sn2_phon": phon2,
        "given_phon": _phonetic(given_key),
        "dob": birth_date.isoformat() if birth_date else None,
        "dob_swapped": swapped.isoformat() if swapped else None,
        # Year plus the two smaller/larger of day and month: a swapped date keeps its block.
        "dob_key": (
            f"{birth_date.year}-{min(birth_date.month, birth_date.day):02d}-{max(birth_date.month, birth_date.day):02d}"
            if birth_date
            else None
        ),
        "yob": str(birth_date.year) if birth_date else None,
        # Day and month without the year, smaller first: survives a wrong year and a swap.
        "dm_key": (
            f"{min(birth_date.month, birth_date.day):02d}-{max(birth_date.month, birth_date.day):02d}"
            if birth_date
            else None
        ),
        "sex": sex or None,
        "birth_state": birth_state or None,
        "curp": clean_curp(curp),
        "curp16": curp_stem16(curp),
    }


# --- Comparisons: Splink level + the same rule in Python ---------------------------------------

Pred = Callable[[dict, dict], bool]


def _null(col: str) -> Pred:
    return lambda a, b: a[col] is None or b[col] is None


def _eq(col: str) -> Pred:
    return lambda a, b: a[col] is not None and a[col] == b[col]


def _jw(col: str, threshold: float) -> Pred:
    return lambda a, b: (
        a[col] is not None and b[col] is not None and JaroWinkler.similarity(a[col], b[col]) >= threshold
    )


def _else(a: dict, b: dict) -> bool:
    return True


EXCHANGED_SQL = "given_key_l = sn1_r AND sn1_l = given_key_r"


def _exchanged(a: dict, b: dict) -> bool:
    return a["given_key"] is not None and a["sn1"] is not None and (a["given_key"], a["sn1"]) == (
        b["sn1"],
        b["given_key"],
    )


_SN1_ALIGNED = cll.Or(cll.ExactMatchLevel("sn1"), cll.CustomLevel(EXCHANGED_SQL))


def _sn1_aligned(a: dict, b: dict) -> bool:
    return _eq("sn1")(a, b) or _exchanged(a, b)


@dataclass(frozen=True)
class Level:
    label: str
    creator: Any  # a splink ComparisonLevelCreator
    test: Pred
    tf_column: str | None = None
    exact_of: str | None = None  # this level is the plain exact match on that column


@dataclass(frozen=True)
class ComparisonSpec:
    name: str
    levels: tuple[Level, ...]

    def splink(self, trained: list[dict] | None = None, *, spark: bool = False):
        """The Splink comparison; `trained`: the saved model's levels of this comparison (their
        m/u are set). `spark`: Splink 5.0.0 on Spark does not detect exact-match levels, so the
        plain exact levels use their own u for term frequencies (the same value) and composite
        levels go without the adjustment."""
        levels = []
        for i, level in enumerate(self.levels):
            opts: dict[str, Any] = {"label_for_charts": level.label}
            if level.tf_column and not (spark and not level.exact_of):
                opts.update(tf_adjustment_column=level.tf_column, tf_adjustment_weight=1.0)
                if spark:
                    opts["disable_tf_exact_match_detection"] = True
            if trained:
                for key in ("m_probability", "u_probability"):
                    value = trained[i].get(key)
                    if isinstance(value, int | float):
                        opts[key] = value
            levels.append(level.creator.configure(**opts))
        return cl.CustomComparison(levels, output_column_name=self.name, comparison_description=self.name)

    def level_of(self, a: dict, b: dict) -> int:
        """Index of the level (0 = null level) this pair falls in, as Splink's gamma would be
        counted from the top: returns the position in `levels`."""
        for i, level in enumerate(self.levels):
            if level.test(a, b):
                return i
        return len(self.levels) - 1


def comparisons() -> list[ComparisonSpec]:
    """The project's comparisons (order matters within each: first matching level wins)."""
    return [
        ComparisonSpec(
            "curp",
            (
                Level("null", cll.NullLevel("curp"), _null("curp")),
                Level("exact", cll.ExactMatchLevel("curp"), _eq("curp")),
                Level("different CURP", cll.ElseLevel(), _else),
            ),
        ),
        ComparisonSpec(
            "given_name",
            (
                Level("null", cll.NullLevel("given_key"), _null("given_key")),
                Level(
                    "exact",
                    cll.ExactMatchLevel("given_key"),
                    _eq("given_key"),
                    tf_column="given_key",
                    exact_of="given_key",
                ),
                # Given name and first surname typed in each other's field (a US form's first
                # and last name, a desk reading the names in the other order).
                Level(
                    "exchanged with the first surname",
                    cll.CustomLevel(EXCHANGED_SQL),
                    _exchanged,
                    tf_column="given_key",
                ),
                Level(
                    "shared name word",
                    cll.ArrayIntersectLevel("given_tokens", 1),
                    lambda a, b: bool(set(a["given_tokens"] or ()) & set(b["given_tokens"] or ())),
                ),
                Level(
                    "shared MARIA/JOSE",
                    cll.ArrayIntersectLevel("given_words", 1),
                    lambda a, b: bool(set(a["given_words"] or ()) & set(b["given_words"] or ())),
                ),
                Level(
                    "jaro-winkler >= 0.92", cll.JaroWinklerLevel("given_key", 0.92), _jw("given_key", 0.92)
                ),
                Level(
                    "jaro-winkler >= 0.80", cll.JaroWinklerLevel("given_key", 0.80), _jw("given_key", 0.80)
                ),
                Level("else", cll.ElseLevel(), _else),
            ),
        ),
        ComparisonSpec(
            "surnames",
            (
                Level("null", cll.NullLevel("sn1"), _null("sn1")),
                # With the given name and first surname exchanged the first surnames agree
                # once the pair is aligned (the given_name comparison carries the exchange).
                Level(
                    "both exact",
                    cll.And(_SN1_ALIGNED, cll.ExactMatchLevel("sn2")),
                    lambda a, b: _sn1_aligned(a, b) and _eq("sn2")(a, b),
                    tf_column="sn1",
                ),
                Level(
                    "first exact, a second missing",
                    cll.And(_SN1_ALIGNED, cll.NullLevel("sn2")),
                    lambda a, b: _sn1_aligned(a, b) and _null("sn2")(a, b),
                    tf_column="sn1",
                ),
                Level(
                    "swapped",
                    cll.ColumnsReversedLevel("sn1", "sn2", symmetrical=True),
                    lambda a, b: (
                        a["sn1"] is not None
                        and a["sn2"] is not None
                        and a["sn1"] == b["sn2"]
                        and a["sn2"] == b["sn1"]
                    ),
                ),
                Level(
                    "both similar",
                    cll.And(
                        cll.JaroWinklerLevel("sn1", 0.88),
                        cll.Or(cll.JaroWinklerLevel("sn2", 0.88), cll.NullLevel("sn2")),
                    ),
                    lambda a, b: _jw("sn1", 0.88)(a, b) and (_jw("sn2", 0.88)(a, b) or _null("sn2")(a, b)),
                ),
                Level(
                    "first exact, second differs",
                    cll.ExactMatchLevel("sn1"),
                    _eq("sn1"),
                    tf_column="sn1",
                    exact_of="sn1",
                ),
                Level(
                    "one surname in the other position",
                    cll.CustomLevel("sn1_l = sn2_r OR sn2_l = sn1_r"),
                    lambda a, b: (
                        (a["sn1"] is not None and a["sn1"] == b["sn2"])
                        or (a["sn2"] is not None and a["sn2"] == b["sn1"])
                    ),
                ),
                Level("else", cll.ElseLevel(), _else),
            ),
        ),
        ComparisonSpec(
            "birth_date",
            (
                Level("null", cll.NullLevel("dob"), _null("dob")),
                Level("exact", cll.ExactMatchLevel("dob"), _eq("dob")),
                Level(
                    "day and month swapped",
                    cll.CustomLevel("dob_swapped_l = dob_r"),
                    lambda a, b: a["dob_swapped"] is not None and a["dob_swapped"] == b["dob"],
                ),
                Level(
                    "one character apart",
                    cll.DamerauLevenshteinLevel("dob", 1),
                    lambda a, b: DamerauLevenshtein.distance(a["dob"], b["dob"]) <= 1,
                ),
                Level(
                    "same day and month",
                    cll.CustomLevel("substr(dob_l, 6, 5) = substr(dob_r, 6, 5)"),
                    lambda a, b: a["dob"][5:10] == b["dob"][5:10],
                ),
                Level("same year", cll.ExactMatchLevel("yob"), _eq("yob")),
                Level("else", cll.ElseLevel(), _else),
            ),
        ),
        ComparisonSpec(
            "sex",
            (
                Level("null", cll.NullLevel("sex"), _null("sex")),
                Level("exact", cll.ExactMatchLevel("sex"), _eq("sex")),
                Level("else", cll.ElseLevel(), _else),
            ),
        ),
        ComparisonSpec(
            "birth_state",
            (
                Level("null", cll.NullLevel("birth_state"), _null("birth_state")),
                Level("exact", cll.ExactMatchLevel("birth_state"), _eq("birth_state")),
                Level("else", cll.ElseLevel(), _else),
            ),
        ),
    ]


# Two records with both surnames and the birth date the same but a wholly different given name
# look like twins (or siblings registered on one date): such a pair is never linked
# automatically, however strong the rest, and goes to human review. At 90,000 events of the
# independent generator (twins among siblings) precision 0.979 -> 0.986 for 0.2 points of
# recall; with one surname only (FEBRL) the pattern is not applied: there a different given name
# is far more often a typo.
TWIN_PATTERN = {
    "given_name": ("else",),
    "birth_date": ("exact",),
    "surnames": ("both exact",),
}


def possible_twins_sql() -> str:
    """TWIN_PATTERN as a condition on Splink's predictions (gamma counts levels from the bottom:
    else = 0)."""
    specs = {spec.name: spec for spec in comparisons()}
    terms = []
    for name, labels in TWIN_PATTERN.items():
        levels = [lvl.label for lvl in specs[name].levels]
        gammas = ", ".join(str(len(levels) - 1 - levels.index(label)) for label in labels)
        terms.append(f"gamma_{name} IN ({gammas})")
    return "(" + " AND ".join(terms) + ")"


# --- The saved model, read without Splink (desk scoring) ---------------------------------------


@dataclass(frozen=True)
class Thresholds:
    match: float  # match probability at or above which records are the same person
    review: float  # at or above this (and below `match`) a pair goes to human review


@cache
def thresholds() -> Thresholds:
    # A country's own model may come without thresholds: then Mexico's (they are probabilities).
    path = model_dir() / "thresholds.yaml"
    if not path.exists():
        path = Path(settings.DATA_DIR) / "linkage" / "thresholds.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Thresholds(match=float(data["match_probability"]), review=float(data["review_probability"]))


@dataclass(frozen=True)
class SavedModel:
    prior_weight: float  # log2 of the prior odds
    # per comparison: per level index (0..n-1, same order as ComparisonSpec.levels) the log2 m/u,
    # or None for the null level (weight 0).
    level_weights: dict[str, list[float | None]]
    level_u: dict[str, list[float | None]]
    term_frequencies: dict[str, dict[str, float]]

    def tf_weight(self, comparison: str, level: int, spec: ComparisonSpec, a: dict, b: dict) -> float:
        """Splink's term-frequency adjustment: log2(u_exact / tf), u_exact the u of the plain
        exact-match level on the column (as Splink detects it), tf the larger of the two values'
        frequencies; 0 when the value is unknown to the saved frequency table."""
        column = spec.levels[level].tf_column
        if not column:
            return 0.0
        table = self.term_frequencies.get(column, {})
        freqs = [table.get(v) for v in (a[column], b[column]) if v is not None]
        freqs = [f for f in freqs if f]
        exact = next((i for i, lvl in enumerate(spec.levels) if lvl.exact_of == column), level)
        u = self.level_u[comparison][exact]
        if not freqs or not u:
            return 0.0
        return math.log2(u / max(freqs))


class ModelMismatch(RuntimeError):
    """The saved model's comparison levels are not the code's: scores would be meaningless."""


# How often two events of the same person disagree on a field, at least, whatever EM estimated:
# desks mis-key sex in about 0.5-1% of records, leave a wrong birth state, type another date or
# exchange name fields. EM on clean training data drives these towards 0 (sex weighed -36.5 bits),
# so that one mis-keyed field vetoed a pair that agreed on everything else. Floored on the
# comparison's last ("else") level; the other levels share the rest in their trained proportions.
# Not the CURP: its check digit makes a typo that gives another valid CURP rare, and two valid
# CURPs are never joined anyway (retorno.linkage.clustering).
DISAGREEMENT_M_FLOOR = {
    "given_name": 0.03,
    "surnames": 0.03,
    "birth_date": 0.03,
    "sex": 0.01,
    "birth_state": 0.05,
}


# Levels that weigh what another level of the same comparison weighs: an exchanged given name
# and first surname is the same evidence as both typed in their place. Its own trained u is the
# chance of the crossing itself, which the surnames comparison (aligned, above) counts already;
# taking the exact level's m and u counts each name once.
SHARED_WEIGHT = {("given_name", "exchanged with the first surname"): "exact"}


def with_shared_weights(data: dict) -> dict:
    """Splink's saved settings with each SHARED_WEIGHT level given its model level's m and u."""
    for comp in data["comparisons"]:
        levels = {lvl.get("label_for_charts"): lvl for lvl in comp["comparison_levels"]}
        for (name, label), model_label in SHARED_WEIGHT.items():
            if comp["output_column_name"] == name and label in levels and model_label in levels:
                for key in ("m_probability", "u_probability"):
                    levels[label][key] = levels[model_label].get(key)
    return data


def read_settings(path: Path) -> dict:
    """A saved model's Splink settings as every reader (desk and batch) must score with them:
    DISAGREEMENT_M_FLOOR applied, then SHARED_WEIGHT (after the floors, which rescale a
    comparison's m to sum to 1: a shared level's m is a copy, not a share)."""
    return with_shared_weights(with_m_floors(json.loads(path.read_text(encoding="utf-8"))))


def with_m_floors(data: dict) -> dict:
    """Splink's saved settings (a dict) with DISAGREEMENT_M_FLOOR applied to each comparison."""
    for comp in data["comparisons"]:
        floor = DISAGREEMENT_M_FLOOR.get(comp["output_column_name"])
        levels = [lvl for lvl in comp["comparison_levels"] if not lvl.get("is_null_level")]
        if floor is None or not levels or not isinstance(levels[-1].get("m_probability"), int | float):
            continue
        last, others = levels[-1], levels[:-1]
        if last["m_probability"] >= floor:
            continue
        rest = sum(lvl.get("m_probability") or 0.0 for lvl in others)
        for lvl in others:
            if rest and isinstance(lvl.get("m_probability"), int | float):
                lvl["m_probability"] = lvl["m_probability"] * (1.0 - floor) / rest
        last["m_probability"] = floor
    return data


def _weight(m: float | None, u: float | None) -> float | None:
    if not m or not u:
        return None
    return math.log2(m / u)


def load_saved_model(path: Path | None = None) -> SavedModel:
    """Read model.json (Splink's saved settings) and term_frequencies.json from the model dir."""
    path = path or model_dir() / "model.json"
    data = read_settings(path)
    prior = data["probability_two_random_records_match"]
    weights: dict[str, list[float | None]] = {}
    us: dict[str, list[float | None]] = {}
    for comp in data["comparisons"]:
        name = comp["output_column_name"]
        weights[name] = [
            None if lvl.get("is_null_level") else _weight(lvl.get("m_probability"), lvl.get("u_probability"))
            for lvl in comp["comparison_levels"]
        ]
        us[name] = [lvl.get("u_probability") for lvl in comp["comparison_levels"]]
    expected = {spec.name: [lvl.label for lvl in spec.levels] for spec in comparisons()}
    found = {
        comp["output_column_name"]: [lvl.get("label_for_charts") for lvl in comp["comparison_levels"]]
        for comp in data["comparisons"]
    }
    if found != expected:
        raise ModelMismatch(f"{path} was trained with other comparison levels; retrain it (docs/linkage.md)")
    tf_path = path.parent / "term_frequencies.json"
    tf = json.loads(tf_path.read_text(encoding="utf-8")) if tf_path.exists() else {}
    return SavedModel(math.log2(prior / (1 - prior)), weights, us, tf)


@cache
def saved_model() -> SavedModel:
    return load_saved_model()


@cache
def _specs() -> tuple[ComparisonSpec, ...]:
    return tuple(comparisons())


@dataclass(frozen=True)
class PairScore:
    match_weight: float
    match_probability: float
    levels: dict[str, str]  # comparison -> level label
    weights: dict[str, float]  # comparison -> log2 Bayes factor (with tf adjustment; 0 for null)


def score_pair(a: dict, b: dict, model: SavedModel | None = None) -> PairScore:
    """Score two feature dicts (see `features`) with the saved model's weights, as Splink would:
    prior log-odds plus the log2 Bayes factor of each comparison's level plus term-frequency
    adjustments."""
    model = model or saved_model()
    total = model.prior_weight
    labels, weights = {}, {}
    for spec in _specs():
        idx = spec.level_of(a, b)
        labels[spec.name] = spec.levels[idx].label
        w = model.level_weights[spec.name][idx]
        weights[spec.name] = 0.0 if w is None else w + model.tf_weight(spec.name, idx, spec, a, b)
        total += weights[spec.name]
    prob = 1.0 / (1.0 + 2.0 ** (-total)) if total > -1000 else 0.0
    return PairScore(total, prob, labels, weights)
