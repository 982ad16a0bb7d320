# sv_dui.py - functions for handling Salvadoran personal identity numbers
# Written in python-stdnum's module style so that it can be offered upstream (stdnum has
# sv.nit, the tax number, but not the DUI).

"""DUI (Documento Único de Identidad, Salvadoran personal identity number).

The DUI number that the Registro Nacional de las Personas Naturales (RNPN)
assigns to every Salvadoran from 18 years of age is 8 digits and a check
digit, usually written 12345678-9. The check digit is (10 - S mod 10) mod 10,
where S is the sum of the 8 digits weighted 9 down to 2. The number 00000000-0
passes that test but is not a valid DUI.

Since 2021 the DUI number also serves as the NIT (tax number) of its holder.

More information:

* Ley Especial Reguladora de la Emisión del Documento Único de Identidad
* https://www.rnpn.gob.sv/

>>> validate('00016297-5')
'000162975'
>>> validate('00016297-4')
Traceback (most recent call last):
    ...
InvalidChecksum: ...
>>> validate('00000000-0')
Traceback (most recent call last):
    ...
InvalidComponent: ...
>>> format('000162975')
'00016297-5'
"""

from __future__ import annotations

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.util import clean, isdigits


def compact(number: str) -> str:
    """Convert the number to the minimal representation: digits only."""
    return clean(number, ' -').strip()


def calc_check_digit(number: str) -> str:
    """Calculate the check digit of the first 8 digits."""
    total = sum(int(n) * (9 - i) for i, n in enumerate(number))
    return str((10 - total % 10) % 10)


def validate(number: str) -> str:
    """Check if the number is a valid DUI. This checks the length, formatting and check digit."""
    number = compact(number)
    if len(number) != 9:
        raise InvalidLength()
    if not isdigits(number):
        raise InvalidFormat()
    if number == '000000000':
        raise InvalidComponent()
    if calc_check_digit(number[:8]) != number[8]:
        raise InvalidChecksum()
    return number


def is_valid(number: str) -> bool:
    """Check if the number is a valid DUI."""
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """Reformat the number to the standard presentation format."""
    number = compact(number)
    return number[:8] + '-' + number[8:]
