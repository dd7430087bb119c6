"""Board packs: freezing where the chosen reviews' recommendations stand, the
rows as the report shows them, and what moved since the previous pack.

A row keeps every cell the live pages show (the dashboard table and the
recommendation page): rating, target and original target date, overdue,
actions with agency, state, due date, what their assurance rests on and
their latest progress update,
evidence accepted and awaiting review, and sign-offs. Dates are stored as ISO
text and shown like every other page's dates."""

import datetime

from django.db import transaction
from django.db.models import Count, Prefetch

from evidence.models import ProgressUpdate
from recommendations.models import (
    NEEDS_SIGNING_OFF_AGAIN,
    Action,
    ImpactJudgement,
    Recommendation,
    SignOff,
)
from scr_tracker.reporting import dashboard
from scr_tracker.reporting.models import BoardPack, BoardPackReview

ROW_FORMAT = 2  # packs frozen before assurance and sign-offs were kept are format 1


def _iso(value):
    return value.isoformat() if value else None


def frozen_rows(reviews):
    """Where every recommendation of ``reviews`` stands now, as plain data."""
    recs = dashboard.table(Recommendation.objects.filter(review__in=reviews)).prefetch_related(
        Prefetch("sign_offs", SignOff.objects.select_related("signed_by", "agency"))
    )
    latest = ProgressUpdate.objects.latest_per_action(
        Action.objects.filter(recommendation__review__in=reviews)
    )
    impact = {}
    judgements = (
        ImpactJudgement.objects.filter(recommendation__review__in=reviews)
        .annotate(resting_on=Count("evidence_links"))
        .order_by("recommendation", "-judged_on", "-pk")
    )
    for judged in judgements:
        shown = judged.get_judgement_display()
        if judged.resting_on:
            pieces = "piece" if judged.resting_on == 1 else "pieces"
            shown += f" (rests on {judged.resting_on} {pieces} of accepted evidence)"
        impact.setdefault(judged.recommendation_id, shown)
    rows = []
    for rec in recs:
        rows.append(
            {
                "format": ROW_FORMAT,
                "id": rec.pk,
                "review_id": rec.review_id,
                "review": rec.review.reference,
                "number": rec.number,
                "short_title": rec.short_title,
                "rating": rec.rating,
                "target_date": _iso(rec.target_date),
                "original_target_date": _iso(rec.original_target_date),
                "overdue": rec.is_overdue,
                "accepted": rec.evidence_accepted,
                "awaiting": rec.evidence_awaiting,
                "sign_off": rec.sign_off_state,
                "impact": impact.get(rec.pk, ""),
                "actions": [
                    {
                        "agency": action.agency.name,
                        "state": action.get_state_display(),
                        "due_date": _iso(action.due_date),
                        "overdue": action.is_overdue,
                        "assurance": action.get_assurance_display(),
                        "assurance_reason": action.assurance_reason,
                        **_latest_update(latest.get(action.pk)),
                    }
                    for action in rec.actions.all()
                ],
                "sign_offs": [
                    {
                        "kind": signed.get_kind_display(),
                        "by": signed.signed_by.get_full_name() or signed.signed_by.username,
                        "agency": signed.agency.name if signed.agency else "",
                        "at": _iso(signed.signed_at.date()),
                        "current": signed.is_current(rec),
                        "rests_on": signed.rests_on,
                    }
                    for signed in rec.sign_offs.all()
                ],
            }
        )
    return rows


def _latest_update(update):
    """The action's latest progress update at the board date, if any."""
    if update is None:
        return {}
    return {"update": update.text, "update_on": _iso(update.written_at.date())}


def freeze(reviews, board_date, title, user):
    """A new board pack of ``reviews``. Raises IntegrityError when one of them
    already has a pack for ``board_date``."""
    reviews = sorted(reviews, key=lambda review: review.reference)
    with transaction.atomic():
        pack = BoardPack.objects.create(
            title=title, board_date=board_date, taken_by=user, rows=frozen_rows(reviews)
        )
        BoardPackReview.objects.bulk_create(
            BoardPackReview(pack=pack, review=review, board_date=board_date) for review in reviews
        )
    return pack


def reviews_of(pack):
    return list(pack.reviews.order_by("reference"))


def joined(names):
    """ "A", "A and B", "A, B and C"."""
    names = list(names)
    if len(names) <= 1:
        return names[0] if names else ""
    return ", ".join(names[:-1]) + " and " + names[-1]


def pack_heading(reviews):
    """The pack's subject: its review references, never a fixed name."""
    return joined(review.reference for review in reviews) or "No review"


def previous(pack):
    """The latest earlier pack that shares a review with ``pack``."""
    return (
        BoardPack.objects.filter(reviews__in=pack.reviews.all(), board_date__lt=pack.board_date)
        .order_by("-board_date", "-pk")
        .first()
    )


def as_date(value):
    return datetime.date.fromisoformat(value) if value else None


def shown_rows(pack):
    """The pack's rows with dates as dates and ratings as labels and tags."""
    rows = []
    for row in pack.rows:
        actions = [
            {
                **action,
                "due_date": as_date(action.get("due_date")),
                "update_on": as_date(action.get("update_on")),
            }
            for action in row.get("actions", [])
        ]
        sign_offs = [{**s, "at": as_date(s.get("at"))} for s in row.get("sign_offs", [])]
        rows.append(
            {
                **row,
                "recorded": row.get("format", 1) >= ROW_FORMAT,
                "target_date": as_date(row.get("target_date")),
                "original_target_date": as_date(row.get("original_target_date")),
                "rating_label": dashboard.rating_label(row["rating"]),
                "tag": dashboard.rating_tag(row["rating"]),
                "actions": actions,
                "sign_offs": sign_offs,
                "stale": row.get("sign_off") == NEEDS_SIGNING_OFF_AGAIN,
            }
        )
    return rows


def summary(rows):
    """Page one's counts: per rating, overdue, awaiting review, and sign-offs."""
    counts = {key: 0 for key in dashboard.RATING_ORDER}
    for row in rows:
        counts[row["rating"]] += 1
    return {
        "total": len(rows),
        "ratings": [
            (dashboard.rating_label(key), dashboard.rating_tag(key), counts[key])
            for key in dashboard.RATING_ORDER
        ],
        "overdue": sum(1 for row in rows if row["overdue"]),
        "awaiting": sum(row["awaiting"] for row in rows),
        "accepted": sum(row["accepted"] for row in rows),
        "stale": sum(1 for row in rows if row.get("stale")),
        "by_decision": sum(
            1
            for row in rows
            for action in row["actions"]
            if action.get("assurance") == Action.Assurance.DECISION.label
        ),
    }


def movement(pack, before):
    """What moved between ``before`` (or nothing) and ``pack``."""
    old = {row["id"]: row for row in (before.rows if before else [])}
    ratings, overdue, accepted, slipped = [], [], [], []
    for row in shown_rows(pack):
        was = old.get(row["id"])
        if was is None:
            continue
        if row["rating"] != was["rating"]:
            ratings.append((row, dashboard.rating_label(was["rating"]), row["rating_label"]))
        if row["overdue"] and not was["overdue"]:
            overdue.append(row)
        if row["accepted"] > was["accepted"]:
            accepted.append((row, row["accepted"] - was["accepted"]))
        old_date = as_date(was["target_date"])
        if row["target_date"] and old_date and row["target_date"] > old_date:
            slipped.append({"row": row, "from": old_date, "to": row["target_date"], "reasons": []})
    if slipped and before is not None:
        _add_reasons(slipped, before.taken_at, pack.taken_at)
    return {"ratings": ratings, "overdue": overdue, "accepted": accepted, "slipped": slipped}


def _add_reasons(slipped, start, end):
    """The reasons given for moving each slipped date, from the history (only
    the slipped recommendations' rows are read)."""
    by_id = {item["row"]["id"]: item for item in slipped}
    history = Recommendation.history.filter(id__in=by_id)
    last = dict(
        history.filter(history_date__lte=start)
        .order_by("id", "history_date")
        .values_list("id", "target_date")
    )
    rows = history.filter(history_date__gt=start, history_date__lte=end).order_by(
        "id", "history_date"
    )
    for row in rows:
        if row.target_date != last.get(row.id) and row.history_change_reason:
            by_id[row.id]["reasons"].append(row.history_change_reason)
        last[row.id] = row.target_date
