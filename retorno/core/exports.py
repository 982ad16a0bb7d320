"""Spreadsheet-safe cells for every CSV and XLSX the application writes (OWASP CSV injection).

A cell that starts with = + - @ tab or carriage return is a formula to Excel or LibreOffice (a
directory description `=HYPERLINK(...)` came back from the HSDS export live). Text cells get a
leading apostrophe in CSV, which spreadsheets show as text; in XLSX they are stored with the
string type, so no formula is ever written. Numbers are written as numbers. Importers of our own
exports undo the apostrophe (`cell_unescape`), so an export read back is the same data.
"""

import csv
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    """`value` for a CSV cell: text that a spreadsheet would run as a formula gets a leading
    apostrophe; other values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell_unescape(value: str) -> str:
    """Undo cell_safe on text read back from one of our exports."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


class SafeWriter:
    """csv.writer whose rows are made spreadsheet-safe."""

    def __init__(self, fh, **kwargs):
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([cell_safe(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter whose values are made spreadsheet-safe."""

    def writerow(self, rowdict):
        return super().writerow({k: cell_safe(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def xlsx_append(sheet, row: list) -> None:
    """Append a row to an openpyxl sheet with every text cell stored as text (never a formula)."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            cell.data_type = "s"
