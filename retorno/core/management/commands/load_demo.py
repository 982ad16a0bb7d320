from django.core.management.base import BaseCommand
from django.db import transaction

from retorno.core.hooks import app_modules


class Command(BaseCommand):
    help = "Load demo users and cases (idempotent: safe to run again)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for module in app_modules("demo"):
                module.load(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
