"""Retention and disposal of evidence (docs/retention.md).

Evidence about a review is kept for the review's retention period after the
review is closed. Then it is due: a business manager approves its disposal (a
batch per review), unless the review is on legal hold. Disposal removes the
narrative text (from the submission and from every history row of it), the
uploaded file names and notes, and the stored files; what remains is the
submission's bare record (agency, action, dates, states, who) and a
content-free DisposalRecord per narrative and per file."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from evidence.models import (
    DisposalBatch,
    DisposalRecord,
    Submission,
    SubmissionFile,
    evidence_storage,
)
from recommendations.models import Review

CHUNK = 5000
NARRATIVE_FIELDS = ("summary", "impact", "reviewer_note")
FILE_TEXT_FIELDS = ("original_name", "held_reason", "decision_note")


class DisposalRefused(Exception):
    """Nothing was disposed of; the message says why and what to do."""


@dataclass
class Retention:
    """Where one review's evidence stands against its retention rule."""

    review: Review
    submissions: int  # not yet disposed of
    files: int
    bytes: int
    today: date

    @property
    def due(self) -> bool:
        return (
            self.submissions > 0
            and not self.review.on_legal_hold
            and self.review.disposal_from is not None
            and self.review.disposal_from <= self.today
        )

    @property
    def status(self) -> str:
        if self.review.on_legal_hold:
            return "On legal hold"
        if self.review.closed_on is None:
            return "Open: kept"
        if self.submissions == 0:
            return "Nothing left to dispose of"
        if self.due:
            return "Due for disposal"
        return f"Kept until {self.review.disposal_from:%-d %B %Y}"


def retention_of_reviews(today=None, reviews=None) -> list[Retention]:
    """Each review (all, or those of the ``reviews`` queryset) with its evidence
    still kept: three queries, whatever the size."""
    today = today or timezone.localdate()
    reviews = Review.objects.all() if reviews is None else reviews
    kept = Submission.objects.filter(
        disposed_at__isnull=True, action__recommendation__review__in=reviews
    )
    submissions = dict(
        kept.values_list("action__recommendation__review").annotate(n=Count("pk")).order_by()
    )
    files = {
        row["submission__action__recommendation__review"]: row
        for row in SubmissionFile.objects.filter(
            submission__disposed_at__isnull=True,
            submission__action__recommendation__review__in=reviews,
        )
        .exclude(state__in=SubmissionFile.GONE)
        .values("submission__action__recommendation__review")
        .annotate(n=Count("pk"), size=Sum("size"))
        .order_by()
    }
    return [
        Retention(
            review=review,
            submissions=submissions.get(review.pk, 0),
            files=files.get(review.pk, {}).get("n", 0),
            bytes=files.get(review.pk, {}).get("size") or 0,
            today=today,
        )
        for review in reviews.order_by("reference")
    ]


def retention_of(review, today=None) -> Retention:
    (found,) = retention_of_reviews(today, Review.objects.filter(pk=review.pk))
    return found


def kept_submissions(review):
    return Submission.objects.filter(
        action__recommendation__review=review, disposed_at__isnull=True
    )


def _refusal(review, today):
    if review.closed_on is None:
        return "This review is still open. Record the date it closed before disposing of evidence."
    if review.on_legal_hold:
        return (
            "This review is on legal hold, so none of its evidence may be disposed of. "
            "Lift the hold first if it no longer applies."
        )
    if review.disposal_from > today:
        return (
            f"This review's evidence is kept until {review.disposal_from:%-d %B %Y} "
            f"({review.retention_rule.lower()}). Nothing was disposed of."
        )
    return None


def _chunks(items):
    items = list(items)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def dispose(review_pk, user, note, today=None) -> DisposalBatch:
    """Dispose of everything due for one review, in one transaction; the stored
    files are deleted once it has committed. Raises DisposalRefused, having
    changed nothing, when the review is open, on hold, not yet due or has
    nothing left to dispose of."""
    today = today or timezone.localdate()
    if not note or not note.strip():
        raise DisposalRefused("Say why you are approving this disposal.")
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review_pk)
        refusal = _refusal(review, today)
        if refusal:
            raise DisposalRefused(refusal)
        submissions = list(
            kept_submissions(review).select_for_update().select_related("agency").order_by("pk")
        )
        if not submissions:
            raise DisposalRefused("Nothing about this review is left to dispose of.")
        sub_ids = [s.pk for s in submissions]
        files = []
        for chunk in _chunks(sub_ids):
            files += SubmissionFile.objects.filter(submission__in=chunk).select_for_update()
        now = timezone.now()
        rule = f"{review.retention_rule} (closed {review.closed_on:%-d %B %Y})"
        stored = [f for f in files if f.state not in SubmissionFile.GONE and f.file.name]
        batch = DisposalBatch.objects.create(
            review=review,
            approved_by=user,
            approved_at=now,
            rule=rule,
            note=note.strip(),
            submissions=len(submissions),
            files=len(stored),
            bytes=sum(f.size for f in stored),
        )
        agency_of = {s.pk: s.agency_id for s in submissions}
        common = {"batch": batch, "review": review, "disposed_at": now, "disposed_by": user}
        records = [
            DisposalRecord(
                kind=DisposalRecord.Kind.NARRATIVE,
                agency_id=s.agency_id,
                submission=s,
                size=sum(len(getattr(s, name).encode()) for name in NARRATIVE_FIELDS),
                rule=rule,
                **common,
            )
            for s in submissions
        ] + [
            DisposalRecord(
                kind=DisposalRecord.Kind.FILE,
                agency_id=agency_of[f.submission_id],
                submission_id=f.submission_id,
                file=f,
                size=f.size,
                sha256=f.sha256,
                # A rejected file's name too: its content should already be
                # gone, and if its deletion failed, this one finishes it.
                stored_name=f.file.name,
                rule=rule,
                **common,
            )
            for f in files
        ]
        DisposalRecord.objects.bulk_create(records, batch_size=1000)
        reason = f"Disposed of under the retention rule (disposal {batch.pk})"
        for submission in submissions:
            for name in NARRATIVE_FIELDS:
                setattr(submission, name, "")
            submission.disposed_at = now
        for upload in files:
            for name in FILE_TEXT_FIELDS:
                setattr(upload, name, "")
            upload.file = ""
            upload.state = SubmissionFile.State.DISPOSED
        # The current rows, each with one history row naming who disposed of it.
        bulk_update_with_history(
            submissions,
            Submission,
            [*NARRATIVE_FIELDS, "disposed_at"],
            batch_size=1000,
            default_user=user,
            default_change_reason=reason,
        )
        bulk_update_with_history(
            files,
            SubmissionFile,
            [*FILE_TEXT_FIELDS, "file", "state"],
            batch_size=1000,
            default_user=user,
            default_change_reason=reason,
        )
        _scrub_history(sub_ids, [f.pk for f in files])
        names = [r.stored_name for r in records if r.stored_name]
        transaction.on_commit(lambda: delete_stored(names))
    return batch


def _scrub_history(sub_ids, file_ids):
    """The earlier history rows keep who, when and each state; their copies of
    the content go. A change reason that quoted a note keeps only its verb."""
    submission_history = Submission.history.model.objects
    file_history = SubmissionFile.history.model.objects
    for chunk in _chunks(sub_ids):
        submission_history.filter(id__in=chunk).update(**dict.fromkeys(NARRATIVE_FIELDS, ""))
    for chunk in _chunks(file_ids):
        rows = file_history.filter(id__in=chunk)
        rows.update(**dict.fromkeys(FILE_TEXT_FIELDS, ""), file="")
        for row in rows.filter(history_change_reason__contains=":"):
            verb = row.history_change_reason.split(":", 1)[0]
            file_history.filter(pk=row.pk).update(history_change_reason=verb)
    for chunk in _chunks(sub_ids):
        quoted = submission_history.filter(id__in=chunk, history_change_reason__contains=":")
        for row in quoted.exclude(history_change_reason__startswith="Disposed of"):
            verb = row.history_change_reason.split(":", 1)[0]
            submission_history.filter(pk=row.pk).update(history_change_reason=verb)


def delete_stored(names) -> list[str]:
    """Delete stored files; the names that could not be deleted are returned
    (and are found again by ``finish_disposals``)."""
    storage = evidence_storage()
    failed = []
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            failed.append(name)
    return failed


def leftover_files() -> list[str]:
    """Stored files of approved disposals that are still in the store."""
    storage = evidence_storage()
    names = (
        DisposalRecord.objects.exclude(stored_name="")
        .values_list("stored_name", flat=True)
        .iterator(chunk_size=2000)
    )
    return [name for name in names if storage.exists(name)]
