from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from retorno.accounts.models import Role, User
from retorno.core.exceptions import AccessDenied
from retorno.employment import jsonld, selectors


class Command(BaseCommand):
    help = "Import or export vacancies as schema.org JobPosting JSON-LD."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a JSON-LD file; all or nothing unless --skip-invalid")
        imp.add_argument("path", type=Path)
        imp.add_argument(
            "--skip-invalid", action="store_true", help="import the valid postings, report the others"
        )
        imp.add_argument(
            "--user", help="the job bank caseworker (or administrator) the import is recorded as"
        )
        exp = sub.add_parser("export", help="export vacancies to a JSON-LD file")
        exp.add_argument("path", type=Path)
        exp.add_argument("--status", default="open", choices=["open", "closed", "all"])

    def handle(self, *args, action, path, **options):
        if action == "export":
            path.write_bytes(jsonld.export_postings(selectors.vacancy_list(status=options["status"])))
            self.stdout.write(self.style.SUCCESS(f"Vacancies exported to {path}"))
            return
        user = self._user(options.get("user"))
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            report = jsonld.import_postings(user=user, content=content, skip_invalid=options["skip_invalid"])
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        except AccessDenied as exc:
            raise CommandError(f"{user}: not a job bank caseworker") from exc
        for error in report.errors:
            self.stdout.write(self.style.WARNING(jsonld.format_error(error)))
        self.stdout.write(self.style.SUCCESS(f"Vacancies imported: {report.summary()}"))

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}")
            return user
        user = (
            User.objects.filter(Q(is_superuser=True) | Q(role=Role.ADMIN), is_active=True)
            .order_by("pk")
            .first()
        )
        if user is None:
            raise CommandError("No administrator to record the import as: pass --user")
        return user
