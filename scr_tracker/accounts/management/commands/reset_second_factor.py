"""A person has lost their phone and their recovery codes: remove their second
factor, so that they set up a new one at their next sign-in, and end every
session they have. Recorded as a sign-in event with who asked and why."""

from django.core.management.base import BaseCommand, CommandError

from scr_tracker.accounts.capabilities import can
from scr_tracker.accounts.models import User
from scr_tracker.accounts.resets import reset_second_factor
from scr_tracker.intake.guard import text_problems


class Command(BaseCommand):
    help = "Reset a person's second factor (they set up a new one), ending their sessions."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="The business manager who asked.")
        parser.add_argument("--reason", required=True, help="Why, as recorded.")

    def handle(self, *args, username, by, reason, **options):
        person = User.objects.filter(username=username).first()
        manager = User.objects.filter(username=by, is_active=True).first()
        if person is None:
            raise CommandError(f"There is no account {username!r}. Nothing was changed.")
        if manager is None or not can(manager, "manage_people"):
            raise CommandError(f"{by!r} is not an active business manager. Nothing was changed.")
        if not reason.strip():
            raise CommandError("Give the reason for the reset. Nothing was changed.")
        problems = text_problems(reason, where="reset_second_factor.reason")
        if problems:
            raise CommandError(f"{problems[0].message} Nothing was changed.")
        removed, ended = reset_second_factor(person, manager, reason.strip())
        self.stdout.write(
            f"Reset {person.username}'s second factor ({removed} records removed) and ended "
            f"{ended} sessions. They set up a new one when they next sign in."
        )
