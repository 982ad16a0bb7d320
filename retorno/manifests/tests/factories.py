import io

from openpyxl import Workbook

from retorno.accounts.models import Role
from retorno.testing.factories import make_point, make_state, make_user

HEADER = "nombre,primer_apellido,segundo_apellido,sexo,fecha_nacimiento,entidad_nacimiento,curp,llegada_esperada,observaciones"


def make_states():
    for code, name in (("MN", "Michoacán"), ("JC", "Jalisco"), ("GR", "Guerrero"), ("BC", "Baja California")):
        make_state(code, name)


def make_manifest_desk(code: str = "TIJ"):
    make_states()
    point = make_point(code)
    return point, make_user(Role.RECEPTION_OFFICER, point=point)


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
