"""Create the documented local-only admin account used by `make run`."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "bac-local-admin"  # noqa: S105 (documented, refused outside DEBUG)


class Command(BaseCommand):
    help = f"Create a superuser '{USERNAME}' with password '{PASSWORD}' for local use (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create the local admin account when DEBUG is off.")
        User = get_user_model()
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write(f"Local admin '{USERNAME}' already exists.")
            return
        User.objects.create_superuser(USERNAME, "admin@localhost", PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(f"Created local admin '{USERNAME}' / '{PASSWORD}' (local use only).")
        )
