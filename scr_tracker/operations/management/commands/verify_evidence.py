from django.core.management.base import BaseCommand, CommandError

from scr_tracker.operations.store import verify_store


class Command(BaseCommand):
    help = (
        "Check every stored evidence file against its recorded size and SHA-256, and the "
        "store against the database. Reports what differs; changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes-only",
            action="store_true",
            help="Compare sizes but do not read the files to hash them (a quick check).",
        )

    def handle(self, *args, sizes_only=False, **options):
        report = verify_store(check_hashes=not sizes_only)
        for line in report.lines():
            self.stdout.write(line)
        what = "sizes" if sizes_only else "sizes and SHA-256"
        summary = f"Checked {report.checked} stored files ({report.bytes} bytes): {what}."
        if report.problems:
            self.stdout.write(summary)
            raise CommandError(f"{report.problems} problems found; nothing was changed.")
        self.stdout.write(f"{summary} No problems.")
