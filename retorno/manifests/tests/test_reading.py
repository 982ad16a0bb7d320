import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from retorno.manifests.reading import (
    MSG_BINARY,
    MSG_DUPLICATE_COLUMN,
    MSG_EMPTY,
    MSG_MISSING_COLUMNS,
    MSG_NO_ROWS,
    MSG_NO_SURNAME_COLUMN,
    MSG_TOO_BIG,
    MSG_TOO_MANY_ROWS,
    MSG_XLS_OLD,
    MSG_XLSX_BROKEN,
    MSG_XLSX_TOO_BIG,
    Formula,
    normalise_header,
    read_manifest,
)

from .factories import csv_bytes, xlsx_bytes


def refused(content: bytes, filename: str = "lista.csv") -> str:
    with pytest.raises(ValidationError) as exc:
        read_manifest(content, filename)
    return exc.value.message_dict["file"][0]


def test_header_normalisation_ignores_case_accents_and_punctuation():
    assert normalise_header(" Fecha de Nacimiento ") == "fecha_de_nacimiento"
    assert normalise_header("NOMBRE(S)") == "nombre_s"
    assert normalise_header("Género") == "genero"


def test_csv_with_spanish_headers_maps_columns_and_counts_lines():
    read = read_manifest(csv_bytes("Ana,Ruiz,,M,1990-01-02,MN,,,", "", "Luis,Paz,,H,,,,,nota"), "l.csv")
    assert read.file_format == "csv" and read.delimiter == ","
    assert read.columns["given_names"] == "nombre"
    assert [line for line, _ in read.rows] == [2, 4]  # blank line 3 skipped, numbering kept
    assert read.rows[0][1]["first_surname"] == "Ruiz"


def test_english_headers_and_unknown_columns_are_reported_as_ignored():
    content = b"First Name,Last Name,Gender,DOB,A-Number\nAna,Ruiz,F,1990-01-02,A123\n"
    read = read_manifest(content, "l.csv")
    assert set(read.columns) == {"given_names", "first_surname", "sex", "birth_date"}
    assert read.ignored_columns == ["A-Number"]


def test_bom_and_semicolon_separator():
    content = "\ufeffnombre;primer_apellido;sexo\r\nJosé;Núñez;H\r\n".encode()
    read = read_manifest(content)
    assert read.delimiter == ";" and read.encoding == "utf-8"
    assert read.rows[0][1] == {"given_names": "José", "first_surname": "Núñez", "sex": "H"}


def test_latin1_csv_is_read_as_windows_1252_and_says_so():
    content = "nombre,primer_apellido,sexo\nMaría,Muñoz,M\n".encode("latin-1")
    read = read_manifest(content)
    assert read.encoding == "windows-1252"
    assert read.rows[0][1]["given_names"] == "María" and read.rows[0][1]["first_surname"] == "Muñoz"


def test_utf16_tab_separated_export():
    content = "nombre\tprimer_apellido\tsexo\nÁngel\tOrtiz\tH\n".encode("utf-16")
    read = read_manifest(content)
    assert read.encoding == "utf-16" and read.delimiter == "\t"
    assert read.rows[0][1]["given_names"] == "Ángel"


@pytest.mark.parametrize("content", [b"", b"   \r\n\n", b"\xef\xbb\xbf"])
def test_empty_files_are_refused(content):
    assert refused(content) == str(MSG_EMPTY)


def test_header_only_file_is_refused():
    assert refused(csv_bytes()) == str(MSG_NO_ROWS)


def test_oversized_file_is_refused_before_parsing(settings):
    settings.RETORNO_MAX_UPLOAD_BYTES = 100
    content = csv_bytes(*["Ana,Ruiz,,M,,,,,"] * 10)
    assert refused(content) == str(MSG_TOO_BIG) % {"size": len(content), "max": 100}


def test_too_many_rows_is_refused(settings):
    settings.RETORNO_MANIFEST_MAX_ROWS = 3
    assert refused(csv_bytes(*["Ana,Ruiz,,M,,,,,"] * 4)) == str(MSG_TOO_MANY_ROWS) % {"max": 3}
    assert len(read_manifest(csv_bytes(*["Ana,Ruiz,,M,,,,,"] * 3)).rows) == 3


def test_missing_required_columns_and_surname_column():
    assert refused(b"primer_apellido,curp\nRuiz,\n") == str(MSG_MISSING_COLUMNS) % {
        "columns": "given_names, sex"
    }
    assert refused(b"nombre,sexo\nAna,M\n") == str(MSG_NO_SURNAME_COLUMN)


def test_two_headers_meaning_the_same_column_are_refused():
    message = refused(b"nombre,nombres,apellido,sexo\nAna,Ana,Ruiz,M\n")
    assert message == str(MSG_DUPLICATE_COLUMN) % {
        "first": "nombre",
        "second": "nombres",
        "column": "given_names",
    }


def test_binary_and_old_excel_and_broken_xlsx_are_refused():
    assert refused(b"\x00\x01\x02garbage\x00") == str(MSG_BINARY)
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "lista.xls") == str(MSG_XLS_OLD)
    assert refused(b"PK\x03\x04not really a zip", "lista.xlsx") == str(MSG_XLSX_BROKEN)
    assert refused(b"nombre,apellido,sexo\nAna,Ruiz,M\n", "lista.xlsx") == str(MSG_XLSX_BROKEN)


def test_xlsx_keeps_dates_and_reports_formulas_as_formulas():
    content = xlsx_bytes(
        [
            ["Nombre", "Primer apellido", "Sexo", "Fecha de nacimiento", "Llegada esperada"],
            ["Ana", "Ruiz", "M", datetime(1990, 1, 2), datetime(2026, 11, 24, 9, 30)],
            ["Luis", '=HYPERLINK("http://x.example","Paz")', "H", "1985-03-04", None],
        ]
    )
    read = read_manifest(content, "lista.xlsx")
    assert read.file_format == "xlsx"
    first, second = read.rows[0][1], read.rows[1][1]
    assert first["birth_date"].date() == date(1990, 1, 2)
    assert isinstance(second["first_surname"], Formula)
    assert [line for line, _ in read.rows] == [2, 3]


def test_xlsx_that_inflates_too_much_is_refused(settings):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b" " * 5_000_000)
    settings.RETORNO_MAX_UPLOAD_BYTES = 100_000
    assert len(buf.getvalue()) < 100_000
    assert refused(buf.getvalue(), "bomb.xlsx") == str(MSG_XLSX_TOO_BIG)
