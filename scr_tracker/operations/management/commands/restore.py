from django.core.management.base import BaseCommand, CommandError

from scr_tracker.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by manage.py backup into an empty database and an empty "
        "evidence store, then verify the store against the restored rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup's folder.")

    def handle(self, *args, source, **options):
        try:
            report = restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.problems:
            raise CommandError(f"Restored, but {report.problems} problems were found.")
        self.stdout.write(
            f"Restored from {source}: {report.checked} evidence files, each matching its SHA-256."
        )
