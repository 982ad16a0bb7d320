"""The review queue speaks plain words: every level of the model has a phrase."""

from retorno.identity import scoring
from retorno.linkage.evidence import PHRASES, evidence_phrases


def test_every_comparison_level_of_the_model_has_a_plain_phrase():
    missing = [
        (spec.name, level.label)
        for spec in scoring.comparisons()
        for level in spec.levels
        if (spec.name, level.label) not in PHRASES
    ]
    assert missing == []


def test_evidence_reads_as_words_not_tokens():
    phrases = evidence_phrases({"curp": "null", "surnames": "both similar", "given_name": "exact"})
    assert phrases == ["CURP ausente en uno de los registros", "apellidos parecidos", "mismo nombre"]
