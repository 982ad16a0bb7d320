import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand

from retorno.core.hooks import app_modules


class Command(BaseCommand):
    help = (
        "Serve Retorno on http://127.0.0.1:8000 (Django's server: for a demo or development; "
        "production uses granian, see the README) and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run the background task worker (reports, refreshes, imports) until the server stops.",
        )

    def handle(self, *args, addrport, with_worker, **options):
        for module in app_modules("demo"):
            for line in getattr(module, "logins", lambda: [])():
                self.stdout.write(line)
        self.stdout.write(f"Retorno: http://{addrport}/  (API docs: http://{addrport}/api/docs)")
        worker = None
        if with_worker:
            worker = subprocess.Popen([sys.executable, "-m", "retorno.cli", "worker"])
            self.stdout.write(f"Background worker running (pid {worker.pid}).")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
