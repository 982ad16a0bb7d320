from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API bearer token for a user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named '{username}'")
        _, raw = ApiToken.issue(user, name)
        self.stdout.write(raw)
