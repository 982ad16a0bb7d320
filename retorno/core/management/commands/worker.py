import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def _seal_loop(stop: threading.Event, every: float) -> None:
    """Seal the audit trail every `every` seconds (audit.integrity) beside the task worker."""
    from retorno.audit.integrity import audit_seal_all

    while not stop.wait(every):
        try:
            close_old_connections()
            audit_seal_all()
        except Exception:  # a failed round is retried at the next one; the worker keeps running
            logger.exception("audit sealing failed")


def _periodic_loop(stop: threading.Event, module) -> None:
    """Run an app's periodic task (`retorno/<app>/periodic.py`: EVERY seconds, run()) until stopped."""
    while not stop.wait(module.EVERY):
        try:
            close_old_connections()
            module.run()
        except Exception:  # retried at the next round
            logger.exception("periodic task %s failed", module.__name__)


class Command(BaseCommand):
    help = (
        "Run the background task worker (django-tasks database backend) until stopped; it also "
        "seals the audit trail's hash chain every few seconds and runs the apps' periodic tasks "
        "(retorno/<app>/periodic.py, e.g. the follow-up messages)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run the waiting tasks, then exit.")
        parser.add_argument("--seal-every", type=float, default=10.0, help="Seconds between audit seals (0: off).")

    def handle(self, *args, batch, seal_every, **options):
        stop = threading.Event()
        if seal_every > 0 and not batch:
            threading.Thread(target=_seal_loop, args=(stop, seal_every), daemon=True).start()
        if not batch:
            from retorno.core.hooks import app_modules

            for module in app_modules("periodic"):
                threading.Thread(target=_periodic_loop, args=(stop, module), daemon=True).start()
        try:
            call_command("db_worker", batch=batch, interval=1.0, reload=False)
        finally:
            stop.set()
