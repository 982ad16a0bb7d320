from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API bearer token for a user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")
        parser.add_argument(
            "--days", type=int, default=None, help="Valid for this many days (default RETORNO_API_TOKEN_DAYS)"
        )
        parser.add_argument(
            "--rate", type=int, default=None, help="Requests per minute for this token (default the general limit)"
        )

    def handle(self, *args, username, name, days, rate, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named '{username}'")
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more")
        _, raw = ApiToken.issue(user, name, days=days, rate_per_minute=rate)
        self.stdout.write(raw)
