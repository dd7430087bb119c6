from django.core.management.base import BaseCommand

from evidence import reminders


class Command(BaseCommand):
    """Send due reminders, chasers and escalations; flag long-overdue requests.

    Safe to run from cron as often as wanted: nothing is sent twice."""

    help = "Send reminders, chasers and escalations for open assurance requests."

    def handle(self, *args, **options):
        outcome = reminders.run()
        self.stdout.write(
            f"{len(outcome.created)} new notification(s), {outcome.emailed} email(s) sent, "
            f"{outcome.failed} email(s) failed (retried next run), "
            f"{len(outcome.flagged)} request(s) newly flagged to executives."
        )
        if outcome.failed:
            raise SystemExit(1)
