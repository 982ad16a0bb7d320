# gt_cui.py - functions for handling Guatemalan personal identity numbers
# Written in python-stdnum's module style so that it can be offered upstream (stdnum has
# gt.nit, the tax number, but not the CUI).

"""CUI (Código Único de Identificación, Guatemalan personal identity number).

The CUI is the 13-digit number printed on the DPI (Documento Personal de
Identificación) that RENAP, the national registry of persons, assigns at birth
registration. It consists of an 8-digit serial number, a check digit, and the
codes of the department (01-22) and the municipality where the birth was
registered (INE's codes).

The check digit is the sum of each serial digit multiplied by its position
plus one (weights 2 to 9), modulo 11; a serial whose sum is 10 modulo 11 has no
check digit and is never issued.

More information:

* Decreto 90-2005, Ley del Registro Nacional de las Personas, art. 61 (CUI)
* https://www.renap.gob.gt/

The municipality counts per department follow INE's division after the most
recent municipalities were created: Raxruhá (Alta Verapaz, 2008), San José La
Máquina (Suchitepéquez, 2014), San Jorge (Zacapa, 2014), Sipacate (Escuintla,
2015) and Petatán (Huehuetenango, 2015): 340 municipalities in all.

>>> validate('2976 07049 0101')
'2976070490101'
>>> validate('2976070480101')
Traceback (most recent call last):
    ...
InvalidChecksum: ...
>>> validate('2976070492301')
Traceback (most recent call last):
    ...
InvalidComponent: ...
>>> format('2976070490101')
'2976 07049 0101'
>>> get_department('2976070490101')
'01'
"""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import clean, isdigits

# Number of municipalities of each department, in INE code order (01 Guatemala ... 22 Jutiapa).
MUNICIPALITIES_PER_DEPARTMENT = (
    17, 8, 16, 16, 14, 14, 19, 8, 24, 21, 9, 30, 33, 21, 8, 17, 14, 5, 11, 11, 7, 17,
)


def compact(number: str) -> str:
    """Convert the number to the minimal representation: digits only."""
    return clean(number, ' -').strip()


def calc_check_digit(serial: str) -> str:
    """Calculate the check digit of an 8-digit serial; raises InvalidChecksum when the serial
    admits none (its weighted sum is 10 modulo 11)."""
    check = sum(int(n) * (i + 2) for i, n in enumerate(serial)) % 11
    if check == 10:
        raise InvalidChecksum()
    return str(check)


def validate(number: str) -> str:
    """Check if the number is a valid CUI. This checks the length, formatting, check digit,
    department and municipality."""
    number = compact(number)
    if len(number) != 13:
        raise InvalidLength()
    if not isdigits(number):
        raise InvalidFormat()
    if calc_check_digit(number[:8]) != number[8]:
        raise InvalidChecksum()
    department, municipality = int(number[9:11]), int(number[11:13])
    if not 1 <= department <= len(MUNICIPALITIES_PER_DEPARTMENT):
        raise InvalidComponent()
    if not 1 <= municipality <= MUNICIPALITIES_PER_DEPARTMENT[department - 1]:
        raise InvalidComponent()
    return number


def is_valid(number: str) -> bool:
    """Check if the number is a valid CUI."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def get_department(number: str) -> str:
    """The two-digit INE code of the department where the birth was registered."""
    return compact(number)[9:11]


def get_municipality(number: str) -> str:
    """The four-digit INE code (department and municipality) of the registration."""
    return compact(number)[9:13]


def format(number: str) -> str:
    """Reformat the number to the presentation printed on the DPI."""
    number = compact(number)
    return ' '.join((number[:4], number[4:9], number[9:]))
