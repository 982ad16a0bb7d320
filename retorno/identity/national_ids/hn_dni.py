# hn_dni.py - functions for handling Honduran personal identity numbers
# Written in python-stdnum's module style so that it can be offered upstream (stdnum has no
# Honduran number).

"""DNI (Documento Nacional de Identificación, Honduran personal identity number).

The DNI number that the Registro Nacional de las Personas (RNP) assigns is 13
digits, written 0801-1990-01234: the department (01-18) and municipality code
of the registration, the year of registration (for people registered at birth,
the birth year) and a 5-digit sequence number. The number has no check digit,
so validation checks the structure, that the department and municipality exist
and that the year is plausible.

More information:

* Ley del Registro Nacional de las Personas (Decreto 62-2004)
* https://www.rnp.hn/

The municipality counts per department follow the 298 municipalities of the
Instituto Nacional de Estadística (INE) of Honduras.

>>> validate('0801-1990-01234')
'0801199001234'
>>> validate('1901-1990-01234')
Traceback (most recent call last):
    ...
InvalidComponent: ...
>>> validate('0809199001234')
'0809199001234'
>>> validate('0829199001234')
Traceback (most recent call last):
    ...
InvalidComponent: ...
>>> format('0801199001234')
'0801-1990-01234'
"""

from __future__ import annotations

import datetime

from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import clean, isdigits

# Number of municipalities of each department, in code order (01 Atlántida ... 18 Yoro).
MUNICIPALITIES_PER_DEPARTMENT = (8, 10, 21, 23, 12, 16, 19, 28, 6, 17, 4, 19, 28, 16, 23, 28, 9, 11)
# The civil registry's oldest entries still in use.
FIRST_YEAR = 1880


def compact(number: str) -> str:
    """Convert the number to the minimal representation: digits only."""
    return clean(number, ' -').strip()


def validate(number: str) -> str:
    """Check if the number is a valid DNI: length, digits, department, municipality, year and
    a non-zero sequence."""
    number = compact(number)
    if len(number) != 13:
        raise InvalidLength()
    if not isdigits(number):
        raise InvalidFormat()
    department, municipality = int(number[0:2]), int(number[2:4])
    if not 1 <= department <= len(MUNICIPALITIES_PER_DEPARTMENT):
        raise InvalidComponent()
    if not 1 <= municipality <= MUNICIPALITIES_PER_DEPARTMENT[department - 1]:
        raise InvalidComponent()
    if not FIRST_YEAR <= int(number[4:8]) <= datetime.date.today().year:
        raise InvalidComponent()
    if int(number[8:]) == 0:
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """Check if the number is a valid DNI."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def get_department(number: str) -> str:
    """The two-digit code of the department of registration."""
    return compact(number)[0:2]


def get_municipality(number: str) -> str:
    """The four-digit code (department and municipality) of the registration."""
    return compact(number)[0:4]


def get_year(number: str) -> int:
    """The year of registration (the birth year for a registration at birth)."""
    return int(compact(number)[4:8])


def format(number: str) -> str:
    """Reformat the number to the standard presentation format."""
    number = compact(number)
    return '-'.join((number[:4], number[4:8], number[8:]))
