from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare a database: migrate, compile translations, collect static files, load reference "
        "data and (optionally) demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip demo users and cases.")

    def handle(self, *args, no_demo, **options):
        call_command("compile_translations")
        call_command("migrate", interactive=False, verbosity=0)
        # WhiteNoise serves the collected files (DEBUG off, as in production).
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_reference")
        if not no_demo:
            call_command("load_demo")
