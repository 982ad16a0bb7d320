from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.lockout import address_unlock


class Command(BaseCommand):
    help = "Lift a login lockout: of an account (--user) or of a network address (--address)."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args, user, address, **options):
        if not user and not address:
            raise CommandError("Give --user USERNAME or --address IP")
        if user:
            self.stdout.write(f"Account {user}: {reset(username=user)} lockout record(s) removed.")
        if address:
            removed = reset(ip=address) + address_unlock(address)
            self.stdout.write(f"Address {address}: {removed} failure record(s) removed.")
