"""Valid national ids made up for demo and test people (never a real person's number: the
serial comes from a counter, and a CURP is derived from the invented person's own data)."""

from datetime import date

from stdnum.exceptions import InvalidChecksum
from stdnum.mx import curp as mx_curp

from retorno.identity.curp import CurpStemInput, curp_stem
from retorno.identity.national_ids import gt_cui, sv_dui


def example_number(
    scheme: str,
    *,
    serial: int,
    given: str = "",
    first: str = "",
    second: str = "",
    sex: str = "H",
    born: date | None = None,
    division: str = "",
) -> str:
    """A valid number of `scheme` for an invented person. `division` is the birth division code
    (CURP state letters; a department's two digits elsewhere)."""
    born = born or date(1990, 1, 1)
    if scheme == "mx.curp":
        head = curp_stem(CurpStemInput(given, first, second, sex, born, division or "NE"))
        head += "A" if born.year >= 2000 else "0"
        return head + mx_curp.calc_check_digit(head)
    department = division if division.isdigit() else "01"
    if scheme == "gt.cui":
        # A serial whose weighted sum is 10 mod 11 has no check digit: take the next one.
        for candidate in range(serial, serial + 11):
            body = f"{candidate % 10**8:08d}"
            try:
                return body + gt_cui.calc_check_digit(body) + department + "01"
            except InvalidChecksum:
                continue
    if scheme == "sv.dui":
        body = f"{(serial % (10**8 - 1)) + 1:08d}"
        return body + sv_dui.calc_check_digit(body)
    if scheme == "hn.dni":
        return f"{department}01{born.year:04d}{(serial % 99999) + 1:05d}"
    raise ValueError(f"no example numbers for scheme '{scheme}'")
