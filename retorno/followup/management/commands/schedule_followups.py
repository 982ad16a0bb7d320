from django.core.management.base import BaseCommand

from retorno.followup.services import followup_schedule_for_event
from retorno.reception.models import RepatriationEvent


class Command(BaseCommand):
    help = "Create follow-up contacts for arrivals that have none yet (idempotent backfill)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="also complete events that already have some")

    def handle(self, *args, all=False, **options):
        events = RepatriationEvent.objects.order_by("arrived_at", "pk")
        if not all:
            events = events.filter(followups__isnull=True)
        count = 0
        for event in events.iterator(chunk_size=500):
            followup_schedule_for_event(event)
            count += 1
        self.stdout.write(
            self.style.SUCCESS(f"Follow-up schedules created or completed for {count} event(s).")
        )
