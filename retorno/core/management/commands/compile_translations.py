from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every .po file of the project to .mo."

    # Pure Python (polib) so that installing needs no GNU gettext on the machine.
    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR) / "retorno"
        count = 0
        for po_path in root.rglob("locale/*/LC_MESSAGES/*.po"):
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            count += 1
        self.stdout.write(f"Compiled {count} translation catalogs.")
