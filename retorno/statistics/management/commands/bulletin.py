import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from retorno.statistics import exports
from retorno.statistics.api import _bulletin_payload
from retorno.statistics.bulletin import bulletin_build
from retorno.statistics.forms import parse_month
from retorno.statistics.selectors import Audience
from retorno.statistics.services import aggregates_refresh


class Command(BaseCommand):
    help = (
        "Compute the monthly statistical bulletin of repatriation events. By default small cells are "
        "suppressed (publishable output); --exact gives exact counts for internal use."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="AAAA-MM, e.g. 2026-10")
        parser.add_argument("--format", default="json", choices=["json", *exports.FORMATS])
        parser.add_argument("--out", help="output file (required for xlsx and parquet; default stdout)")
        parser.add_argument("--exact", action="store_true", help="no suppression (internal use only)")
        parser.add_argument("--refresh", action="store_true", help="rebuild the year's aggregates first")

    def handle(self, *args, month, format, out, exact, refresh, **options):
        try:
            first_of_month = parse_month(month)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if format in ("xlsx", "parquet") and not out:
            raise CommandError(f"--out is required for {format}")
        if refresh:
            aggregates_refresh(first=first_of_month.replace(month=1), last=first_of_month)
        audience = Audience(points=None, suppressed=not exact)
        bulletin = bulletin_build(month=first_of_month, audience=audience)
        if format == "json":
            data = json.dumps(_bulletin_payload(bulletin), ensure_ascii=False, indent=2).encode()
        else:
            data = exports.render(bulletin.tables, format)
        if out:
            Path(out).write_bytes(data)
            as_of = bulletin.as_of.isoformat() if bulletin.as_of else "-"
            self.stderr.write(f"Bulletin {month} written to {out} (data as of {as_of}).")
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
