"""Bulletin tables as files: tidy CSV and Parquet (one row per published cell, for machines) and
XLSX (one sheet per table in the bulletin's layout, for people). Suppressed cells are empty/null
in CSV and Parquet and '*' in XLSX, with a note saying why."""

import io

import pyarrow as pa
import pyarrow.parquet as pq
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from retorno.core.exports import SafeDictWriter, xlsx_append
from retorno.statistics.tables import Table

TOTAL = "TOTAL"
COLUMNS = [
    "table",
    "title",
    "unit",
    "period",
    "data_as_of",
    "row_key",
    "row_label",
    "column_key",
    "column_label",
    "value",
    "suppressed",
]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
FORMATS = tuple(CONTENT_TYPES)


def tidy_rows(tables: list[Table]) -> list[dict]:
    """One dict per published cell, totals included (row or column key 'TOTAL')."""
    out = []
    for table in tables:
        grid = table.published()
        row_keys = [*table.row_keys, TOTAL]
        row_labels = [*map(str, table.row_labels), _("Total")]
        column_keys = [*table.column_keys, TOTAL]
        column_labels = [*map(str, table.column_labels), _("Total")]
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                out.append(
                    {
                        "table": table.key,
                        "title": str(table.title),
                        "unit": table.unit,
                        "period": table.period,
                        "data_as_of": table.as_of.isoformat() if table.as_of else "",
                        "row_key": str(row_keys[r]),
                        "row_label": row_labels[r],
                        "column_key": str(column_keys[c]),
                        "column_label": column_labels[c],
                        "value": value,
                        "suppressed": value is None,
                    }
                )
        # Non-additive columns (medians) after the counts: one row per row and totals row.
        for measure, values in zip(table.measures, table.published_measures(), strict=True):
            for r, value in enumerate(values):
                out.append(
                    {
                        **out[-1],
                        "row_key": str(row_keys[r]),
                        "row_label": row_labels[r],
                        "column_key": measure.key,
                        "column_label": str(measure.label),
                        "value": value,
                        "suppressed": value is None and measure.bases[r] > 0,
                    }
                )
    return out


def to_csv(tables: list[Table]) -> bytes:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in tidy_rows(tables):
        writer.writerow(
            {
                **row,
                "value": "" if row["value"] is None else row["value"],
                "suppressed": int(row["suppressed"]),
            }
        )
    # BOM so that spreadsheet programs read the accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_parquet(tables: list[Table]) -> bytes:
    rows = tidy_rows(tables)
    # Counts are whole numbers, but medians (days) are not: a float column holds both exactly.
    schema = pa.schema(
        [(name, pa.string()) for name in COLUMNS[:-2]] + [("value", pa.float64()), ("suppressed", pa.bool_())]
    )
    table = pa.Table.from_pylist(rows, schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def to_xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(table.key[:31])
        xlsx_append(sheet, [str(table.title)])
        sheet["A1"].font = bold
        xlsx_append(sheet, [_("Unidad"), table.unit_label])
        xlsx_append(sheet, [_("Periodo"), table.period])
        xlsx_append(sheet, [_("Datos al"), table.as_of.strftime("%Y-%m-%d %H:%M %Z") if table.as_of else ""])
        xlsx_append(sheet, [])
        xlsx_append(
            sheet,
            [
                str(table.row_header),
                *map(str, table.column_labels),
                _("Total"),
                *(str(m.label) for m in table.measures),
            ],
        )
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        labels = [*map(str, table.row_labels), _("Total")]
        for label, (_label, row, measures) in zip(labels, table.measured_rows, strict=True):
            xlsx_append(
                sheet,
                [
                    label,
                    *("*" if v is None else v for v in row),
                    *("-" if v is None else v for v in measures),
                ],
            )
        if table.suppression is not None:
            xlsx_append(sheet, [])
            xlsx_append(
                sheet,
                [
                    _(
                        "* Cifra suprimida para proteger la confidencialidad (celdas menores al umbral y las necesarias para que no puedan deducirse)."
                    )
                ],
            )
        for note in table.notes:
            xlsx_append(sheet, [str(note)])
        sheet.column_dimensions["A"].width = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render(tables: list[Table], fmt: str) -> bytes:
    """The tables in `fmt` (csv, xlsx or parquet). Raises KeyError for another format."""
    return {"csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}[fmt](tables)
