import pytest
from django.core.management import CommandError, call_command

from retorno.accounts.models import Role
from retorno.manifests.models import Manifest
from retorno.testing.factories import make_point, make_user

from .factories import csv_bytes, make_manifest_desk

pytestmark = pytest.mark.django_db


def test_import_manifest_command_prints_line_errors(tmp_path, capsys):
    point, officer = make_manifest_desk()
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes("Ana,Ruiz,,M,,,,,", "Luis,Paz,,Q,,,,,"))
    call_command("import_manifest", str(path), "--point", "tij", "--user", officer.username)
    out = capsys.readouterr().out
    assert "1 rows imported, 1 lines with errors" in out
    assert "line 3, sexo: Sexo no reconocido" in out
    assert Manifest.objects.get().uploaded_by == officer


def test_import_manifest_command_refuses_bad_input(tmp_path):
    make_manifest_desk()
    outsider = make_user(Role.RECEPTION_OFFICER, point=make_point("MXL"))
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes("Ana,Ruiz,,M,,,,,"))
    with pytest.raises(CommandError, match="Unknown reception point"):
        call_command("import_manifest", str(path), "--point", "XXX")
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_manifest", str(path), "--point", "TIJ", "--user", outsider.username)
    with pytest.raises(CommandError, match="File not found"):
        call_command("import_manifest", str(tmp_path / "nope.csv"), "--point", "TIJ")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="vacío"):
        call_command("import_manifest", str(empty), "--point", "TIJ")
    assert not Manifest.objects.exists()
