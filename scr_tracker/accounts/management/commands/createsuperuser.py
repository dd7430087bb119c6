"""Django's createsuperuser, with the new account in the person's history as
made by the system account, for break-glass administration."""

from django.contrib.auth.management.commands import createsuperuser

from scr_tracker.audit import changes_by, system_user


class Command(createsuperuser.Command):
    def handle(self, *args, **options):
        with changes_by(system_user(), "Break-glass superuser created with createsuperuser"):
            return super().handle(*args, **options)
