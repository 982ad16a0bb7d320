from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from retorno.directory import hsds


class Command(BaseCommand):
    help = "Import or export the service directory as an Open Referral HSDS 3.0 CSV datapackage."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a datapackage (folder or .zip); all or nothing")
        imp.add_argument("path", type=Path)
        exp = sub.add_parser("export", help="export to a folder, or to a .zip when PATH ends in .zip")
        exp.add_argument("path", type=Path)

    def handle(self, *args, action, path, **options):
        if action == "export":
            if path.suffix == ".zip":
                path.write_bytes(hsds.export_zip_bytes())
                self.stdout.write(self.style.SUCCESS(f"Directory exported to {path}"))
            else:
                files = hsds.export_to_folder(path)
                self.stdout.write(self.style.SUCCESS(f"Directory exported: {len(files)} files in {path}"))
            return
        try:
            report = hsds.import_path(path)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(f"Directory imported: {report.summary()}"))
