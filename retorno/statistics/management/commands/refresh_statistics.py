import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from retorno.statistics import aggregates
from retorno.statistics.forms import parse_month
from retorno.statistics.services import aggregates_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the pre-aggregated statistics from the events: every month (default; needed after "
        "merges of persons), or --start/--end months. --verify compares with a live computation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", help="first month AAAA-MM")
        parser.add_argument("--end", help="last month AAAA-MM (default: --start)")
        parser.add_argument("--verify", action="store_true", help="check against the slow live computation")

    def handle(self, *args, start, end, verify, **options):
        try:
            first = parse_month(start) if start else None
            last = parse_month(end) if end else first
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if end and not start:
            raise CommandError("--end needs --start")
        began = time.perf_counter()
        records = aggregates_refresh(first=first, last=last)
        elapsed = time.perf_counter() - began
        self.stdout.write(f"Refreshed {len(records)} month(s) in {elapsed:.2f} s.")
        if verify and records:
            lo, hi = records[0].month, records[-1].month
            if aggregates.stored_counts(lo, hi) != aggregates.live_counts(lo, hi):
                raise CommandError("Aggregates differ from the live computation.")
            self.stdout.write("Verified against the live computation.")
