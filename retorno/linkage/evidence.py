"""The model's evidence about a pair, in words a supervisor reads: "mismo nombre",
"apellidos parecidos", "CURP ausente"... (the comparison levels of identity.scoring are the keys)."""

from django.utils.translation import gettext_lazy as _

# (comparison, level label) -> phrase. A level not listed reads as its comparison's fallback.
PHRASES = {
    ("curp", "null"): _("CURP ausente en uno de los registros"),
    ("curp", "exact"): _("misma CURP"),
    ("curp", "different CURP"): _("CURP distintas"),
    ("given_name", "null"): _("nombre ausente en uno de los registros"),
    ("given_name", "exact"): _("mismo nombre"),
    ("given_name", "exchanged with the first surname"): _("nombre y primer apellido intercambiados"),
    ("given_name", "shared name word"): _("comparten un nombre (o su apodo)"),
    ("given_name", "shared MARIA/JOSE"): _("comparten María o José en un nombre compuesto"),
    ("given_name", "jaro-winkler >= 0.92"): _("nombres casi iguales"),
    ("given_name", "jaro-winkler >= 0.80"): _("nombres parecidos"),
    ("given_name", "else"): _("nombres distintos"),
    ("surnames", "null"): _("apellidos ausentes en uno de los registros"),
    ("surnames", "both exact"): _("mismos apellidos"),
    ("surnames", "first exact, a second missing"): _("mismo primer apellido; falta el segundo en uno"),
    ("surnames", "swapped"): _("mismos apellidos en orden inverso"),
    ("surnames", "both similar"): _("apellidos parecidos"),
    ("surnames", "first exact, second differs"): _("mismo primer apellido; el segundo difiere"),
    ("surnames", "one surname in the other position"): _("un apellido aparece en la otra posición"),
    ("surnames", "else"): _("apellidos distintos"),
    ("birth_date", "null"): _("fecha de nacimiento ausente en uno de los registros"),
    ("birth_date", "exact"): _("misma fecha de nacimiento"),
    ("birth_date", "day and month swapped"): _("fecha de nacimiento con día y mes invertidos"),
    ("birth_date", "one character apart"): _("fecha de nacimiento con un dígito distinto"),
    ("birth_date", "same day and month"): _("mismo día y mes de nacimiento, otro año"),
    ("birth_date", "same year"): _("mismo año de nacimiento"),
    ("birth_date", "else"): _("fechas de nacimiento distintas"),
    ("sex", "null"): _("sexo ausente en uno de los registros"),
    ("sex", "exact"): _("mismo sexo"),
    ("sex", "else"): _("sexo distinto"),
    ("birth_state", "null"): _("entidad de nacimiento ausente en uno de los registros"),
    ("birth_state", "exact"): _("misma entidad de nacimiento"),
    ("birth_state", "else"): _("entidades de nacimiento distintas"),
}
FALLBACK = {
    "curp": _("CURP"),
    "given_name": _("nombre"),
    "surnames": _("apellidos"),
    "birth_date": _("fecha de nacimiento"),
    "sex": _("sexo"),
    "birth_state": _("entidad de nacimiento"),
}


def evidence_phrases(levels: dict) -> list[str]:
    """Plain-language evidence for a pair's comparison levels, in the model's order."""
    out = []
    for name, level in (levels or {}).items():
        phrase = PHRASES.get((name, level))
        out.append(str(phrase) if phrase else f"{FALLBACK.get(name, name)}: {level}")
    return out
