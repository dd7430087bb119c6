"""Board packs and exports: frozen snapshots, the movement between two of them,
the dashboard table as rows for CSV and XLSX, and the public-safe summary."""

import csv
import datetime
import io

from django.db.models import Count, Q
from django.utils import timezone

from evidence.models import Submission
from recommendations.models import BoardSnapshot, Rating, Recommendation
from scr_tracker.accounts.roles import agency_scope


def snapshot_rows(review):
    """Where every recommendation of ``review`` stands now, as plain data."""
    recs = Recommendation.objects.filter(review=review).for_dashboard()
    rows = []
    for rec in recs:
        rows.append(
            {
                "id": rec.pk,
                "number": rec.number,
                "short_title": rec.short_title,
                "rating": rec.rating,
                "target_date": rec.target_date.isoformat() if rec.target_date else None,
                "overdue": rec.is_overdue,
                "accepted": rec.evidence_accepted,
                "awaiting": rec.evidence_awaiting,
                "actions": [
                    {
                        "agency": action.agency.name,
                        "state": action.get_state_display(),
                        "due_date": action.due_date.isoformat() if action.due_date else None,
                    }
                    for action in rec.actions.all()
                ],
            }
        )
    return rows


def take_snapshot(review, board_date, title, user):
    return BoardSnapshot.objects.create(
        review=review,
        board_date=board_date,
        title=title,
        taken_by=user,
        rows=snapshot_rows(review),
    )


def previous(snapshot):
    return (
        BoardSnapshot.objects.filter(review=snapshot.review_id, board_date__lt=snapshot.board_date)
        .order_by("-board_date")
        .first()
    )


def rating_label(value):
    return Rating(value).label if value else "Not yet rated"


def as_date(value):
    return datetime.date.fromisoformat(value) if value else None


def movement(snapshot, before):
    """What moved between ``before`` (or nothing) and ``snapshot``."""
    old = {row["id"]: row for row in (before.rows if before else [])}
    ratings, overdue, accepted, slipped = [], [], [], []
    for row in snapshot.rows:
        was = old.get(row["id"])
        if was is None:
            continue
        if row["rating"] != was["rating"]:
            ratings.append((row, rating_label(was["rating"]), rating_label(row["rating"])))
        if row["overdue"] and not was["overdue"]:
            overdue.append(row)
        if row["accepted"] > was["accepted"]:
            accepted.append((row, row["accepted"] - was["accepted"]))
        new_date, old_date = as_date(row["target_date"]), as_date(was["target_date"])
        if new_date and old_date and new_date > old_date:
            slipped.append({"row": row, "from": old_date, "to": new_date, "reasons": []})
    if slipped and before is not None:
        _add_reasons(slipped, before.taken_at, snapshot.taken_at)
    return {"ratings": ratings, "overdue": overdue, "accepted": accepted, "slipped": slipped}


def _add_reasons(slipped, start, end):
    """The reasons given for moving each slipped date, from the history."""
    by_id = {item["row"]["id"]: item for item in slipped}
    rows = Recommendation.history.filter(
        id__in=by_id, history_date__gt=start, history_date__lte=end
    ).order_by("id", "history_date")
    last = {}
    earlier = Recommendation.history.filter(id__in=by_id, history_date__lte=start).order_by(
        "id", "history_date"
    )
    for row in earlier:
        last[row.id] = row.target_date
    for row in rows:
        if row.target_date != last.get(row.id) and row.history_change_reason:
            by_id[row.id]["reasons"].append(row.history_change_reason)
        last[row.id] = row.target_date


EXPORT_COLUMNS = [
    "Review",
    "Number",
    "Recommendation",
    "Rating",
    "Target date",
    "Overdue",
    "Agencies with actions",
    "Evidence accepted",
    "Evidence awaiting review",
]


def export_rows(user, recs):
    """The dashboard table as rows. An agency user's evidence counts are their
    own agency's only (recs are already in their scope)."""
    agency_id = agency_scope(user)
    if agency_id is not None:
        own = Q(actions__submissions__agency=agency_id)
        recs = recs.annotate(
            own_accepted=Count(
                "actions__submissions",
                filter=own & Q(actions__submissions__state=Submission.State.ACCEPTED),
                distinct=True,
            ),
            own_awaiting=Count(
                "actions__submissions",
                filter=own & Q(actions__submissions__state=Submission.State.SUBMITTED),
                distinct=True,
            ),
        )
    for rec in recs:
        yield [
            rec.review.reference,
            rec.number,
            rec.short_title,
            rating_label(rec.rating),
            rec.target_date.isoformat() if rec.target_date else "",
            "Yes" if rec.is_overdue else "No",
            ", ".join(agency.short_name for agency in rec.agencies),
            rec.own_accepted if agency_id is not None else rec.evidence_accepted,
            rec.own_awaiting if agency_id is not None else rec.evidence_awaiting,
        ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A cell a spreadsheet will not run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([neutralised(cell) for cell in row])
    return out.getvalue()


def as_xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Recommendations"
    sheet.append(EXPORT_COLUMNS)
    for row in rows:
        sheet.append([neutralised(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_name(extension):
    return f"recommendations-{timezone.localdate():%Y-%m-%d}.{extension}"
