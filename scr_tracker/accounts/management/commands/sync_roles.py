from django.core.management.base import BaseCommand

from scr_tracker.accounts.roles import sync_roles


class Command(BaseCommand):
    """Make the role groups match scr_tracker/accounts/roles.py.

    Idempotent: safe to run at every deployment; it also runs after migrate.
    """

    help = "Create or correct the role groups and their permissions."

    def handle(self, *args, **options):
        changes = sync_roles()
        for line in changes:
            self.stdout.write(line)
        if not changes:
            self.stdout.write("Roles already up to date.")
