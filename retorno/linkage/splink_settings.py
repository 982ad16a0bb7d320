"""Splink settings of the batch linkage: blocking and the settings built from the scoring
model's comparisons (retorno.identity.scoring, shared with the desk)."""

from splink import SettingsCreator, block_on

from retorno.identity.scoring import comparisons

# Equality blocking keys. Each joins on several keys so that blocks stay small even for
# HERNANDEZ/GARCIA/JOSE (measured block sizes: docs/linkage.md), and together they survive two
# corruptions at once: a wrong year with a missing second surname or a name typo (day+month
# keys with a phonetic name), a wrong date with a typo (the three phonetic names), a typo in
# a CURP's last characters (its first 16).
BLOCKING_KEYS = [
    ("curp",),
    ("curp16",),
    # By sound: also every pair the exact keys would give (the same key sounds the same).
    ("sn1_phon", "given_key", "yob"),
    ("dob_key", "sn1"),
    ("dob_key", "given_key"),
    ("dob_key", "sn2"),
    ("sn1", "sn2", "yob"),
    ("sn1_phon", "sn2_phon", "given_phon"),
    ("dm_key", "sn1_phon", "given_phon"),
    ("dm_key", "sn1_phon", "sn2_phon"),
    ("dm_key", "given_phon", "sn2_phon"),
]
# Surnames typed in the other order, by sound (not an equality on the same columns).
SWAPPED_SURNAMES_RULE = "l.sn1_phon = r.sn2_phon AND l.sn2_phon = r.sn1_phon AND l.given_phon = r.given_phon"
# Given name and first surname exchanged (identity.scoring.EXCHANGED_SQL): no key above holds
# both records when the second surname is missing or mistyped.
EXCHANGED_NAMES_RULE = "l.given_key = r.sn1 AND l.sn1 = r.given_key"


# Wider keys, each used only when the comparisons it makes stay within the budget for the
# input at hand (pipeline.affordable_wide_keys): on a small file the birth date alone or the
# two names without a date are cheap and find pairs whose other fields are all mistyped; on
# millions of records one of them makes tens of millions of comparisons.
WIDE_BLOCKING_KEYS = [
    # No birth date on one side: two names by sound and the birth state (32 values only, so
    # these grow fast: 95,000 comparisons each at 90,000 events, 8-12 million at 1.3 million).
    ("sn1_phon", "given_phon", "birth_state"),
    ("sn2_phon", "given_phon", "birth_state"),
    ("sn1_phon", "sn2_phon", "birth_state"),
    ("dob",),
    ("sn1", "given_key"),
    ("sn1_phon", "given_phon"),
    ("dm_key", "sn1_phon"),
    ("dm_key", "given_phon"),
]


def blocking_rules(wide: list[tuple[str, ...]] = (), *, only_new: bool = False) -> list:
    """Blocking for prediction (Splink), from BLOCKING_KEYS and the affordable wide keys. With
    `only_new` every rule also asks that one side be new (the boolean column is_new): incremental
    linkage compares new records with everything and old records not with each other again."""
    keys = [*BLOCKING_KEYS, *wide]
    if not only_new:
        return [block_on(*k) for k in keys] + [SWAPPED_SURNAMES_RULE, EXCHANGED_NAMES_RULE]
    rules = [" AND ".join(f'l."{c}" = r."{c}"' for c in k) for k in keys] + [
        SWAPPED_SURNAMES_RULE,
        EXCHANGED_NAMES_RULE,
    ]
    return [f"({rule}) AND (l.is_new OR r.is_new)" for rule in rules]


def settings_creator(
    *,
    link_type: str = "dedupe_only",
    prior: float = 1e-6,
    trained: dict | None = None,
    spark: bool = False,
    wide: list[tuple[str, ...]] = (),
    only_new: bool = False,
) -> SettingsCreator:
    """Splink settings from the code's comparisons. With `trained` (a saved model.json as a
    dict) its prior and m/u are carried over, so the SQL is generated for the backend in use
    (the saved JSON holds DuckDB SQL)."""
    by_name = {
        c["output_column_name"]: c["comparison_levels"] for c in (trained or {}).get("comparisons", [])
    }
    if trained:
        prior = trained["probability_two_random_records_match"]
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=[c.splink(by_name.get(c.name), spark=spark) for c in comparisons()],
        blocking_rules_to_generate_predictions=blocking_rules(wide, only_new=only_new),
        probability_two_random_records_match=prior,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
    )
