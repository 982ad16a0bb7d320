from retorno.identity.names import key, normalize, significant_given_name


def test_normalize_strips_accents_and_punctuation_but_keeps_enye():
    assert normalize("  María   de la Luz ") == "MARIA DE LA LUZ"
    assert normalize("Núñez-Peña") == "NUÑEZ PEÑA"
    assert normalize(None) == ""


def test_key_drops_particles_and_spaces():
    assert key("De la Peña") == "PENA"
    assert key("del Río Loza") == "RIOLOZA"


def test_significant_given_name():
    assert significant_given_name("María Guadalupe") == "GUADALUPE"
    assert significant_given_name("J. Jesús") == "JESUS"
    assert significant_given_name("Guadalupe") == "GUADALUPE"
