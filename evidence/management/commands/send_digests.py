from django.core.management.base import BaseCommand

from evidence import reminders


class Command(BaseCommand):
    """Email each person who chose one email a day everything new for them.

    Run once a day from cron (after send_reminders). Nothing is emailed twice:
    a second run sends only what arrived since the first."""

    help = "Send the daily email of notifications to those who chose it."

    def handle(self, *args, **options):
        outcome = reminders.digests()
        self.stdout.write(
            f"{outcome.emailed} notification(s) emailed in daily digests, "
            f"{outcome.failed} failed (retried next run)."
        )
        if outcome.failed:
            raise SystemExit(1)
