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


# --- Matching helpers for identity resolution (retorno.linkage) -------------------------------

_NICKNAMES: dict[str, tuple[str, ...]] | None = None


def _nickname_file():
    from pathlib import Path

    from django.conf import settings

    from retorno.core.reference_loading import pack_file

    data_dir = Path(getattr(settings, "DATA_DIR", Path(__file__).resolve().parents[2] / "data"))
    country = getattr(settings, "RETORNO_COUNTRY", "mx")
    return pack_file(data_dir / "reference" / country, "nicknames.csv")


def nickname_map() -> dict[str, tuple[str, ...]]:
    """Nickname or abbreviation -> the formal given names it may stand for, from the country's
    data file (data/reference/<country>/nicknames.csv: nickname,name). Keys and values are
    normalised; a nickname with several meanings (BETO) maps to all of them. Empty if the file is
    absent."""
    global _NICKNAMES
    if _NICKNAMES is None:
        import csv

        mapping: dict[str, list[str]] = {}
        path = _nickname_file()
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    nick = normalize(row.get("nickname", "")).replace("Ñ", "N")
                    name = normalize(row.get("name", "")).replace("Ñ", "N")
                    if nick and name and name not in mapping.setdefault(nick, []):
                        mapping[nick].append(name)
        _NICKNAMES = {k: tuple(v) for k, v in mapping.items()}
    return _NICKNAMES


def given_name_tokens(given_names: str | None) -> list[str]:
    """Significant words of the given names with nicknames expanded to the formal name(s),
    Ñ as N, particles dropped: 'Ma. Lupe' -> ['MARIA', 'GUADALUPE']; 'Beto' ->
    ['ALBERTO', 'ROBERTO', 'HUMBERTO']. A nickname standing for a compound name (CHEMA -> JOSE
    MARIA) yields its words."""
    nick = nickname_map()
    out: list[str] = []
    for word in significant_words(given_names or ""):
        word = word.replace("Ñ", "N")
        for name in nick.get(word, (word,)):
            for w in name.split():
                if w not in out:
                    out.append(w)
    return out


def canonical_given_name(given_names: str | None) -> str:
    """The RENAPO significant given name after nickname expansion, as a key: 'Ma. Guadalupe',
    'Guadalupe' and 'Lupe' all give 'GUADALUPE'; 'Pepe' gives 'JOSE'. Ambiguous nicknames take
    their first meaning (BETO -> ALBERTO); the token set keeps all of them."""
    words = [w.replace("Ñ", "N") for w in significant_words(given_names or "")]
    nick = nickname_map()
    expanded: list[str] = []
    for w in words:
        expanded.extend(nick.get(w, (w,))[0].split())
    if len(expanded) > 1 and expanded[0] in SKIPPED_FIRST_GIVEN:
        return expanded[1]
    return expanded[0] if expanded else ""


_PHONETIC_RULES = [
    (re.compile(r"^H"), ""),
    (re.compile(r"([^C])H"), r"\1"),
    (re.compile(r"CH"), "X"),
    (re.compile(r"LL"), "Y"),
    (re.compile(r"QU"), "K"),
    (re.compile(r"GU([EI])"), "\x01\\1"),  # hard G kept apart from the soft G rule below
    (re.compile(r"C([EI])"), r"S\1"),
    (re.compile(r"G([EI])"), r"J\1"),
    (re.compile("\x01"), "G"),
    (re.compile(r"C"), "K"),
    (re.compile(r"Z"), "S"),
    (re.compile(r"V"), "B"),
    (re.compile(r"W"), "B"),
    (re.compile(r"Ñ"), "N"),
    (re.compile(r"I"), "Y"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def spanish_phonetic_key(text: str | None) -> str:
    """A Spanish sound-alike key of a name (a small Spanish metaphone): silent H dropped, B/V,
    S/Z/soft C, J/soft G, LL/Y, K/QU/hard C merged, doubled letters collapsed. 'Hernández' and
    'Ernandes' -> 'ERNANDES'; 'Vázquez' and 'Basques' -> 'BASKES'. Written here because the
    phonetic libraries (jellyfish's metaphone/soundex) encode English sounds."""
    word = key(text)
    for pattern, repl in _PHONETIC_RULES:
        word = pattern.sub(repl, word)
    return word
