from django.core.management.base import BaseCommand

from retorno.portal.outreach import outreach_run


class Command(BaseCommand):
    help = "Send the follow-up survey invitations and reminders due now (none in quiet hours)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent, send nothing")

    def handle(self, *args, dry_run, **options):
        report = outreach_run(dry_run=dry_run)
        if report.quiet:
            self.stdout.write("Quiet hours: nothing sent.")
            return
        for line in report.would:
            self.stdout.write(f"would {line}")
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(report.skipped.items())) or "none"
        self.stdout.write(
            self.style.SUCCESS(f"Invited {report.invited}, reminded {report.reminded}; skipped: {skipped}.")
        )
