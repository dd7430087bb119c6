from django.core.management.base import BaseCommand, CommandError

from scr_tracker.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the evidence store into a new "
        "folder, consistently: the files the dumped rows name, each copy checked."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="A new or empty folder.")

    def handle(self, *args, destination, **options):
        try:
            summary = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up to {summary.path}: database dump {summary.dump_bytes} bytes, "
            f"{summary.files} evidence files ({summary.file_bytes} bytes), each checked."
        )
