"""The daily retention check: which reviews' evidence is due for disposal (for
a business manager to approve in the tracker), which are on legal hold, and
stored files of approved disposals that are still to be deleted (deleted now).
Safe to run as often as wanted."""

from django.core.management.base import BaseCommand

from evidence.retention import delete_stored, leftover_files, retention_of_reviews


class Command(BaseCommand):
    help = "List evidence due for disposal, and finish the deletions of approved disposals."

    def handle(self, *args, **options):
        rows = retention_of_reviews()
        due = [row for row in rows if row.due]
        held = [row for row in rows if row.review.on_legal_hold and row.submissions]
        for row in due:
            self.stdout.write(
                f"Due for disposal: {row.review.reference}: {row.submissions} submissions, "
                f"{row.files} files ({row.bytes} bytes), kept since "
                f"{row.review.disposal_from:%Y-%m-%d}. A business manager approves it "
                "on the Retention page."
            )
        for row in held:
            self.stdout.write(f"On legal hold: {row.review.reference}: {row.submissions} kept.")
        leftovers = leftover_files()
        failed = delete_stored(leftovers)
        if leftovers:
            self.stdout.write(
                f"Deleted {len(leftovers) - len(failed)} stored files of approved disposals."
            )
        if failed:
            self.stderr.write(f"Could not delete {len(failed)} files; they are tried again.")
        if not due and not held and not leftovers:
            self.stdout.write("Nothing is due for disposal.")
