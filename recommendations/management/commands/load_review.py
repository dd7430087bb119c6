import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recommendations.models import Recommendation, Review
from scr_tracker.audit import changes_by, system_user

REVIEW_FIELDS = [
    "reference",
    "title",
    "kind",
    "completed_year",
    "completed_on",
    "period_from_year",
    "period_to_year",
    "publication",
    "publication_reason",
    "recommendations_published_on",
]
RECOMMENDATION_FIELDS = [
    "number",
    "short_title",
    "text",
    "sub_points",
    "response",
    "response_reason",
]


class Command(BaseCommand):
    """Load a review and its published recommendations from a fixture file.

    Idempotent: what already exists is never changed, so loading twice changes
    nothing and a business manager's ratings, dates and edits are never
    overwritten. Differences between the tracker and the file are reported.
    Every row created gets a history row by the system account, with a reason.
    """

    help = "Load a review and its recommendations from a JSON fixture (e.g. fixtures/w6.json)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report; change nothing.")

    def handle(self, *args, path, dry_run, **options):
        data = self._read(path)
        try:
            with transaction.atomic(), changes_by(system_user(), f"Loaded from {path.name}"):
                created = self._load(data)
                if dry_run:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError(f"{path}: nothing was loaded: {exc}") from exc
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(f"{verb} {created} row(s) from {path}.")

    def _read(self, path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("review"), dict):
            raise CommandError(f"{path}: expected an object with a 'review' object.")
        if not isinstance(data.get("recommendations"), list):
            raise CommandError(f"{path}: expected a 'recommendations' list.")
        return data

    def _load(self, data):
        created = 0
        wanted = {name: data["review"].get(name) for name in REVIEW_FIELDS}
        review = Review.objects.filter(reference=wanted["reference"]).first()
        if review is None:
            review = Review(**{k: v for k, v in wanted.items() if v is not None})
            review.full_clean()
            review.save()
            created += 1
        else:
            self._report_differences(review, wanted, str(review))
        for item in data["recommendations"]:
            fields = {name: item.get(name) for name in RECOMMENDATION_FIELDS}
            existing = review.recommendations.filter(number=fields["number"]).first()
            if existing is not None:
                self._report_differences(existing, fields, str(existing))
                continue
            recommendation = Recommendation(review=review, updated_by=system_user(), **fields)
            recommendation.full_clean()
            recommendation.save()
            created += 1
        return created

    def _report_differences(self, obj, wanted, label):
        for name, value in wanted.items():
            current = getattr(obj, name)
            if hasattr(current, "isoformat"):
                current = current.isoformat()
            if value is not None and current != value:
                self.stdout.write(f"{label}: {name} differs from the file; the tracker's kept.")
