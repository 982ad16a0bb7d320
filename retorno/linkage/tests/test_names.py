"""Normalisation and the nickname map used by the linkage model (identity.names additions)."""

import csv
from pathlib import Path

from django.conf import settings

from retorno.identity import names


def test_nickname_map_is_read_from_the_data_file():
    path = Path(settings.DATA_DIR) / "reference" / "mx" / "nicknames.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {"LUPE", "PEPE", "CHUY", "PANCHO", "PACO", "NACHO", "BETO", "FCO", "MA", "J"} <= {
        r["nickname"] for r in rows
    }
    mapping = names.nickname_map()
    assert mapping["LUPE"] == ("GUADALUPE",)
    assert set(mapping["BETO"]) == {"ALBERTO", "ROBERTO", "HUMBERTO"}
    assert mapping["TONO"] == ("ANTONIO",)  # TOÑO normalised


def test_given_name_tokens_expand_nicknames_and_abbreviations():
    assert names.given_name_tokens("Ma. Lupe") == ["MARIA", "GUADALUPE"]
    assert names.given_name_tokens("Fco. Javier") == ["FRANCISCO", "JAVIER"]
    assert names.given_name_tokens("Pancho") == ["FRANCISCO"]
    assert names.given_name_tokens("Toño") == ["ANTONIO"]
    assert names.given_name_tokens("Juan") == ["JUAN"]


def test_canonical_given_name_follows_renapo_and_nicknames():
    for typed in ("María Guadalupe", "MA. GUADALUPE", "Guadalupe", "Lupe", "maria guadalupe"):
        assert names.canonical_given_name(typed) == "GUADALUPE"
    assert names.canonical_given_name("Pepe") == "JOSE"
    assert names.canonical_given_name("J. Luis") == "LUIS"
    assert names.canonical_given_name("José") == "JOSE"
    assert names.canonical_given_name("") == ""


def test_spanish_phonetic_key_merges_sound_alikes():
    assert names.spanish_phonetic_key("Hernández") == names.spanish_phonetic_key("ERNANDES")
    assert names.spanish_phonetic_key("Vázquez") == names.spanish_phonetic_key("Basques")
    assert names.spanish_phonetic_key("Guillermo") == names.spanish_phonetic_key("Guiyermo")
    assert names.spanish_phonetic_key("Gerardo") != names.spanish_phonetic_key("Guerardo")
    assert names.spanish_phonetic_key("") == ""


def test_existing_keys_are_unchanged():
    assert names.key("De la Peña") == "PENA"
    assert names.significant_given_name("María Guadalupe") == "GUADALUPE"
    assert names.normalize("María  de la Luz") == "MARIA DE LA LUZ"
