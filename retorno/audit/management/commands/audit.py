from django.core.management.base import BaseCommand, CommandError

from retorno.audit.integrity import audit_seal_all, audit_verify


class Command(BaseCommand):
    help = (
        "Audit trail integrity: `seal` chains the entries not sealed yet; `verify` recomputes the "
        "hash chain and names the first broken link (exit status 1 when broken)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seal", "verify"])

    def handle(self, *args, action, **options):
        if action == "seal":
            self.stdout.write(f"Sealed {audit_seal_all()} audit entries.")
            return
        result = audit_verify()
        self.stdout.write(
            f"Checked {result.checked} sealed entries; {result.unsealed} not sealed yet. "
            f"Head: seq {result.head_seq}, hash {result.head_hash}"
        )
        if not result.ok:
            raise CommandError(f"Audit chain broken at seq {result.broken_seq}: {result.problem}")
        self.stdout.write(self.style.SUCCESS("Audit chain intact."))
