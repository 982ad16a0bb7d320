from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from retorno.core.hooks import app_modules
from retorno.core.reference_loading import ReferenceDataError


class Command(BaseCommand):
    help = "Load (idempotently) the reference data files of the country profile: points, states, catalogs."

    def add_arguments(self, parser):
        parser.add_argument("--country", default=settings.RETORNO_COUNTRY)

    def handle(self, *args, country, **options):
        country_dir = settings.DATA_DIR / "reference" / country
        if not country_dir.is_dir():
            raise CommandError(f"No reference data for country '{country}' in {country_dir}")
        try:
            with transaction.atomic():
                for module in app_modules("reference_data"):
                    module.load(country_dir, self.stdout.write)
        except ReferenceDataError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded ({country})."))
