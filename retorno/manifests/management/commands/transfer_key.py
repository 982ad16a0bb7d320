import yaml
from django.core.management.base import BaseCommand

from retorno.manifests.transfers import public_entry


class Command(BaseCommand):
    help = (
        "Print this instance's entry for another instance's trusted-senders file (its id, country "
        "and Ed25519 public key); the private key is created on first use."
    )

    def handle(self, *args, **options):
        self.stdout.write(yaml.safe_dump([public_entry()], sort_keys=False, allow_unicode=True))
