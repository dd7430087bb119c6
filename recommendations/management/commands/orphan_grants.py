"""Report grants that give nothing or should not be held (recommendations/access.py):
held by a person whose account is off or who has no role, or access to a
review that is no longer restricted. It reports; a manager decides. Exits 1
when there is anything to report, so a scheduler can tell."""

import sys

from django.core.management.base import BaseCommand

from recommendations.access import orphan_grants


class Command(BaseCommand):
    help = "List grants held by switched-off or role-less people, or left on open reviews."

    def handle(self, *args, **options):
        found = orphan_grants()
        for row, why in found:
            person = row.user.get_full_name() or row.user.username
            self.stdout.write(
                f"{row.permission.codename} on {row.content_object} for {person}: {why}"
            )
        self.stdout.write(f"{len(found)} grant{'s' if len(found) != 1 else ''} to look at.")
        if found:
            sys.exit(1)
