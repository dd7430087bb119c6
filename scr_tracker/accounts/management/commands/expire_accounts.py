"""Run daily: switch off every account whose expiry date has passed (their
sessions end and whatever they were granted is revoked), in the person's
history as done by the system account."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from scr_tracker.accounts.people import people_in_partnership, switch_off
from scr_tracker.audit import system_user


class Command(BaseCommand):
    help = "Switch off accounts whose expiry date has passed."

    def handle(self, *args, **options):
        today = timezone.localdate()
        due = people_in_partnership().filter(is_active=True, expires_on__lt=today)
        system = system_user()
        count = 0
        for person in due.order_by("pk"):
            switch_off(person, f"The account expired on {person.expires_on:%-d %B %Y}", system)
            count += 1
        self.stdout.write(f"Switched off {count} expired account{'s' if count != 1 else ''}.")
