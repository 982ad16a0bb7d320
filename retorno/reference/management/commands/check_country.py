from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from retorno.reference.pack_check import check_pack


class Command(BaseCommand):
    help = (
        "Check a country pack (data/reference/<cc>/): unique codes, every reference resolves, the "
        "national id agrees with the divisions... Lists every problem; touches no database."
    )

    def add_arguments(self, parser):
        parser.add_argument("country", nargs="?", default=settings.RETORNO_COUNTRY)

    def handle(self, *args, country, **options):
        problems = check_pack(settings.DATA_DIR / "reference" / country)
        for problem in problems:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(f"Country pack '{country}': {len(problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS(f"Country pack '{country}' is complete and consistent."))
