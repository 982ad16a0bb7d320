"""Name normalisation following RENAPO's CURP rules; also the matching keys of identity resolution."""

import re

from unidecode import unidecode

# Particles RENAPO skips when taking letters from a name (Instructivo normativo de la CURP).
PARTICLES = frozenset("DA DAS DE DEL DER DI DIE DD EL LA LOS LAS LE LES MAC MC VAN VON Y".split())
# In a compound given name these first words are skipped (MARIA GUADALUPE -> GUADALUPE).
SKIPPED_FIRST_GIVEN = frozenset("MARIA MA MA. M JOSE J J.".split())

_NON_LETTERS = re.compile(r"[^A-Z ]+")
_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """Upper-case ASCII words: accents dropped, Ñ kept as X later by the CURP rules, punctuation
    turned into spaces. 'María  de la Luz' -> 'MARIA DE LA LUZ'."""
    if not text:
        return ""
    text = text.upper().replace("Ñ", "\x00")
    text = unidecode(text).replace("\x00", "Ñ")
    text = text.replace(".", " ").replace("-", " ").replace("'", "")
    text = re.sub(r"[^A-ZÑ ]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def significant_words(name: str) -> list[str]:
    """Words of a normalised name without particles ('DE LA CRUZ' -> ['CRUZ'])."""
    words = [w for w in normalize(name).split() if w not in PARTICLES]
    return words


def significant_given_name(given_names: str) -> str:
    """The given name RENAPO uses: skip MARIA/JOSE (and abbreviations) in compound names."""
    raw_words = normalize(given_names).split()
    words = [w for w in raw_words if w not in PARTICLES]
    if len(words) > 1 and words[0] in SKIPPED_FIRST_GIVEN:
        return words[1]
    return words[0] if words else ""


def key(text: str | None) -> str:
    """A matching key: normalised, particles removed, Ñ as N, no spaces ('De la Peña' -> 'PENA')."""
    return "".join(significant_words(text or "")).replace("Ñ", "N")
