from django.core.management.base import BaseCommand

from retorno.rights.retention import retention_apply, retention_plan


class Command(BaseCommand):
    help = "Apply the retention schedule (retention.yaml): anonymise or remove what is past its period."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="apply it (audited); --dry-run lists what would change")
        apply.add_argument("--dry-run", action="store_true")

    def handle(self, *args, action, dry_run, **options):
        steps = retention_plan() if dry_run else retention_apply()
        verb = "would change" if dry_run else "changed"
        for step in steps:
            sample = ", ".join(map(str, step.ids[:10])) + (" ..." if len(step.ids) > 10 else "")
            self.stdout.write(
                f"{step.code}: {len(step.ids)} {verb} (before {step.cutoff}){': ' + sample if step.ids else ''}"
            )
        self.stdout.write(
            self.style.SUCCESS("Dry run: nothing changed." if dry_run else "Retention applied.")
        )
