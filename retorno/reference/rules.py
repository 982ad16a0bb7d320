"""Thresholds of the country profile (data/reference/<country>/country.yaml), one home each.

Age of majority, older-adult age, how long a second registration at the same point counts as a
double entry: these differ by country and are data, not numbers written in the code.
"""

from datetime import date, timedelta

from retorno.reference.country import country_profile


def age_on(born: date | None, on: date) -> int | None:
    """Whole years between `born` and `on`; None when the birth date is unknown."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def adult_age() -> int:
    """Age of majority: below it a person is a child (child protection applies)."""
    return int(country_profile().get("adult_age", 18))


def older_adult_age() -> int:
    return int(country_profile().get("older_adult_age", 60))


def duplicate_arrival_window() -> timedelta:
    """A second registration of the same person at the same point within this is a double entry."""
    return timedelta(hours=float(country_profile().get("duplicate_arrival_hours", 12)))


# Apparent age when the birth date is unknown (the desk's estimate).
ESTIMATED_CHILD = "0-11"
ESTIMATED_ADOLESCENT = "12-17"
ESTIMATED_ADULT = "18+"
ESTIMATED_MINOR_BANDS = (ESTIMATED_CHILD, ESTIMATED_ADOLESCENT)


def is_minor(age: int | None, estimated_band: str = "") -> bool | None:
    """True/False when known (age, or else the estimate); None when neither is given."""
    if age is not None:
        return age < adult_age()
    if estimated_band:
        return estimated_band in ESTIMATED_MINOR_BANDS
    return None
