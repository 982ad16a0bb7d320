"""retorno import_manifest PATH --point TIJ [--user USERNAME]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.models import User
from retorno.core.exceptions import AccessDenied
from retorno.manifests.reading import max_bytes
from retorno.manifests.services import manifest_import
from retorno.reference.models import ReceptionPoint


class Command(BaseCommand):
    help = "Import an arrival manifest (CSV or XLSX) for a reception point; prints the line-by-line errors."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--point", required=True, help="reception point code, e.g. TIJ")
        parser.add_argument("--user", help="import as this user (checks role and point scope)")
        parser.add_argument("--title", default="", help="reference shown in the list, e.g. bus number")

    def handle(self, *args, path, point, user=None, title="", **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"File not found: {path}")
        target = ReceptionPoint.objects.filter(code=point.strip().upper()).first()
        if target is None:
            raise CommandError(f"Unknown reception point: {point}")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"Unknown or inactive user: {user}")
        with file.open("rb") as fh:
            content = fh.read(max_bytes() + 1)
        try:
            manifest = manifest_import(
                user=actor, point=target, content=content, filename=file.name, title=title
            )
        except ValidationError as exc:
            raise CommandError("; ".join(str(m) for m in exc.messages)) from exc
        except AccessDenied as exc:
            raise CommandError(f"{user} may not import manifests for {target.code}") from exc
        self.stdout.write(
            f"Manifest {manifest.pk} ({target.code}): {manifest.row_count} rows imported, "
            f"{manifest.error_line_count} lines with errors."
        )
        for issue in manifest.issues.all():
            self.stdout.write(f"  line {issue.line_number}, {issue.column}: {issue.message} [{issue.value}]")
