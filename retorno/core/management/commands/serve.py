from django.core.management import call_command
from django.core.management.base import BaseCommand

from retorno.core.hooks import app_modules


class Command(BaseCommand):
    help = "Serve Retorno on http://127.0.0.1:8000 (development server) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        for module in app_modules("demo"):
            for line in getattr(module, "logins", lambda: [])():
                self.stdout.write(line)
        self.stdout.write(f"Retorno: http://{addrport}/  (API docs: http://{addrport}/api/docs)")
        call_command("runserver", addrport, use_reloader=False)
