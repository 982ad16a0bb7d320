"""Reading a manifest file (CSV or XLSX) into headers and raw rows, refusing unreadable files.

Only whole-file problems are decided here (size, format, encoding, header, row count); each row's
values are checked by retorno.manifests.validation so bad rows can be reported line by line.
The standard csv module and openpyxl do the parsing; what is written by hand is the choice of
encoding and separator, because spreadsheets exported on Mexican desktops come in UTF-8 with or
without BOM, Windows-1252/Latin-1, or UTF-16, with "," or ";" separators.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

MSG_EMPTY = _("El archivo está vacío.")
MSG_TOO_BIG = _("El archivo pesa %(size)s bytes; el máximo es %(max)s bytes.")
MSG_TOO_MANY_ROWS = _("El archivo tiene más de %(max)s filas de datos; divídalo en varios archivos.")
MSG_NOT_READABLE = _("No se pudo leer el archivo como CSV ni como XLSX.")
MSG_XLS_OLD = _("El formato .xls (Excel 97-2003) no se admite; guárdelo como .xlsx o CSV.")
MSG_XLSX_BROKEN = _("El archivo XLSX está dañado o no es una hoja de cálculo válida.")
MSG_BINARY = _("El archivo no es texto CSV (contiene datos binarios).")
MSG_NO_HEADER = _("La primera fila debe tener los nombres de las columnas.")
MSG_MISSING_COLUMNS = _("Faltan columnas obligatorias: %(columns)s.")
MSG_NO_SURNAME_COLUMN = _("Falta una columna de apellido (primer_apellido o segundo_apellido).")
MSG_DUPLICATE_COLUMN = _(
    "Las columnas «%(first)s» y «%(second)s» significan lo mismo (%(column)s); deje solo una."
)
MSG_NO_ROWS = _("El archivo no tiene filas de datos debajo de los encabezados.")
MSG_XLSX_TOO_BIG = _("La hoja de cálculo es demasiado grande una vez descomprimida.")

DEFAULT_MAX_ROWS = 1000
MAX_COLUMNS = 60
# An XLSX is a zip: refuse one that inflates beyond this multiple of the upload limit (zip bomb).
MAX_INFLATION = 20
MAX_CELL_CHARS = 2000


@dataclass
class ReadFile:
    """A readable manifest: canonical column -> header as written, and the data rows."""

    file_format: str  # "csv" | "xlsx"
    encoding: str = ""
    delimiter: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> header in the file
    ignored_columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line, canonical -> raw)


def _reject(message, **params) -> ValidationError:
    return ValidationError({"file": [message % params if params else message]})


def max_rows() -> int:
    return int(getattr(settings, "RETORNO_MANIFEST_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_bytes() -> int:
    return int(getattr(settings, "RETORNO_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


@cache
def column_spec() -> list[dict]:
    path = settings.DATA_DIR / "manifests" / "columns.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["columns"]


def normalise_header(header: Any) -> str:
    """'Fecha de Nacimiento ' -> 'fecha_de_nacimiento' (accents, case and punctuation ignored)."""
    text = unidecode(str(header or "")).lower().strip()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _map_headers(headers: list[Any]) -> tuple[dict[str, int], dict[str, str], list[str]]:
    aliases = {alias: col["name"] for col in column_spec() for alias in col["aliases"]}
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored = []
    for i, header in enumerate(headers):
        shown = str(header or "").strip()[:80]
        canonical = aliases.get(normalise_header(header))
        if canonical is None:
            if shown:
                ignored.append(shown)
            continue
        if canonical in index:
            raise _reject(MSG_DUPLICATE_COLUMN, first=written[canonical], second=shown, column=canonical)
        index[canonical] = i
        written[canonical] = shown
    if not index:
        raise _reject(MSG_NO_HEADER)
    missing = [c["name"] for c in column_spec() if c.get("required") and c["name"] not in index]
    if missing:
        raise _reject(MSG_MISSING_COLUMNS, columns=", ".join(missing))
    if "first_surname" not in index and "second_surname" not in index:
        raise _reject(MSG_NO_SURNAME_COLUMN)
    return index, written, ignored


def _decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding used. UTF-8 (with or without BOM) first, UTF-16 by its BOM, then
    Windows-1252, which is what Excel on Spanish Windows writes for "CSV" (Latin-1 superset)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    if b"\x00" in raw:
        raise _reject(MSG_BINARY)
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _collect(header: list[Any], records, file: ReadFile) -> ReadFile:
    """`records` yields (line, values) after the header line."""
    if len(header) > MAX_COLUMNS:
        header = header[:MAX_COLUMNS]
    index, written, ignored = _map_headers(header)
    file.columns, file.ignored_columns = written, ignored
    limit = max_rows()
    for line, values in records:
        if _is_blank(values):
            continue
        if len(file.rows) >= limit:
            raise _reject(MSG_TOO_MANY_ROWS, max=limit)
        row = {}
        for name, i in index.items():
            value = values[i] if i < len(values) else None
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                value = type(value)(value[:MAX_CELL_CHARS])
            row[name] = value
        file.rows.append((line, row))
    if not file.rows:
        raise _reject(MSG_NO_ROWS)
    return file


def _read_csv(raw: bytes) -> ReadFile:
    text, encoding = _decode(raw)
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header or _is_blank(header):
            raise _reject(MSG_NO_HEADER)

        def records():
            start = reader.line_num + 1
            for values in reader:
                yield start, values
                start = reader.line_num + 1

        return _collect(header, records(), ReadFile("csv", encoding=encoding, delimiter=delimiter))
    except csv.Error as exc:
        raise _reject(MSG_NOT_READABLE) from exc


def _read_xlsx(raw: bytes) -> ReadFile:
    from openpyxl import load_workbook

    try:
        # read_only streams rows (a large sheet is never all in memory); data_only=False keeps
        # formulas as formulas so they are reported instead of silently taking a cached value.
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=False, max_col=MAX_COLUMNS)
        header_cells = next(rows, None)
        if not header_cells:
            raise _reject(MSG_NO_HEADER)
        header = [c.value for c in header_cells]
        if _is_blank(header):
            raise _reject(MSG_NO_HEADER)

        def records():
            for line, cells in enumerate(rows, start=2):
                yield line, [_xlsx_value(c) for c in cells]

        result = _collect(header, records(), ReadFile("xlsx"))
        workbook.close()
        return result
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many types (KeyError, zipfile, XML) on bad files
        raise _reject(MSG_XLSX_BROKEN) from exc


class Formula(str):
    """A spreadsheet formula found in a cell (reported, never stored or evaluated)."""


def _xlsx_value(cell) -> Any:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(str(value))
    if isinstance(value, datetime | date | str) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_manifest(raw: bytes, filename: str = "") -> ReadFile:
    """Parse a manifest's bytes. Raises ValidationError {"file": [...]} when the whole file must
    be refused (empty, too big, not CSV/XLSX, missing columns, too many rows)."""
    if not raw:
        raise _reject(MSG_EMPTY)
    if len(raw) > max_bytes():
        raise _reject(MSG_TOO_BIG, size=len(raw), max=max_bytes())
    name = (filename or "").lower()
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _reject(MSG_XLS_OLD)
    if raw.startswith(b"PK\x03\x04"):
        try:
            inflated = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(raw)).infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _reject(MSG_XLSX_BROKEN) from None
        if inflated > MAX_INFLATION * max_bytes():
            raise _reject(MSG_XLSX_TOO_BIG)
        return _read_xlsx(raw)
    if name.endswith((".xlsx", ".xlsm")):
        raise _reject(MSG_XLSX_BROKEN)
    if not raw.strip(b"\xef\xbb\xbf \r\n\t"):
        raise _reject(MSG_EMPTY)
    return _read_csv(raw)
