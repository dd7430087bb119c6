"""What the dashboard counts: every figure is computed in the database (the
ratings trend is in trend.py).

Nothing here loads all recommendations, submissions or history rows into
Python: counts are aggregates, evidence tallies are correlated subqueries for
the rows shown, "what changed" and the trend are window queries over the
history table (tests/test_query_counts.py pins the number of queries;
benchmarks/pages.py measures them at 10,000 recommendations)."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from evidence.models import Submission
from recommendations.models import (
    NEEDS_SIGNING_OFF_AGAIN,
    RATING_TAG_CLASSES,
    Action,
    Rating,
    Recommendation,
    RecommendationTheme,
    Review,
)
from scr_tracker.accounts.models import User

NOT_RATED = "none"
RATING_ORDER = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.COMPLETE, ""]


def rating_label(key):
    return Rating(key).label if key else "Not yet rated"


def rating_tag(key):
    return RATING_TAG_CLASSES[Rating(key)] if key else "govuk-tag--grey"


def rating_param(key):
    """The filter value for a rating ("none" for not yet rated)."""
    return key or NOT_RATED


# -- The recommendations shown ------------------------------------------------


def in_scope(user, filters, *, ignore=()):
    """The recommendations the user may see, narrowed by the filter form's values
    (``ignore`` names filters to leave out, e.g. the rating for the counts)."""
    recs = Recommendation.objects.visible_to(user)
    if filters.get("review") and "review" not in ignore:
        recs = recs.filter(review=filters["review"])
    rating = filters.get("rating") if "rating" not in ignore else ""
    if rating == NOT_RATED:
        recs = recs.filter(rating="")
    elif rating:
        recs = recs.filter(rating=rating)
    if filters.get("agency"):
        recs = recs.filter(
            Exists(Action.objects.filter(recommendation=OuterRef("pk"), agency=filters["agency"]))
        )
    if filters.get("theme") and "theme" not in ignore:
        recs = recs.filter(
            Exists(
                RecommendationTheme.objects.filter(
                    recommendation=OuterRef("pk"), theme=filters["theme"]
                )
            )
        )
    if filters.get("overdue") and "overdue" not in ignore:
        recs = recs.filter(Recommendation.overdue_q())
    return recs


def _evidence_count(state, agency_id=None):
    found = Submission.objects.filter(action__recommendation=OuterRef("pk"), state=state)
    if agency_id is not None:
        found = found.filter(agency=agency_id)
    counted = found.order_by().values("action__recommendation").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def table(recs, agency_id=None):
    """The rows of the dashboard table (and exports), in a stable order: with
    actions and agencies, evidence accepted and awaiting review (an agency
    user's own agency's only), and the sign-off state."""
    return (
        recs.select_related("review")
        .with_actions()
        .with_sign_off()
        .annotate(
            evidence_accepted=_evidence_count(Submission.State.ACCEPTED, agency_id),
            evidence_awaiting=_evidence_count(Submission.State.SUBMITTED, agency_id),
        )
        .order_by("review__reference", "number", "pk")
    )


# -- The board meeting's first screen -----------------------------------------


def rating_counts(recs):
    """(key, label, tag class, count) for every rating in order, "Not yet rated" last."""
    found = dict(recs.order_by().values_list("rating").annotate(n=Count("pk")))
    return [(key, rating_label(key), rating_tag(key), found.get(key, 0)) for key in RATING_ORDER]


@dataclass
class ReviewSummary:
    review_id: int
    reference: str
    total: int
    counts: list  # (key, label, tag, count) as rating_counts
    overdue: int
    needs_sign_off: int


def review_summaries(user):
    """One row per review the user can see: counts per rating, overdue, and
    recommendations waiting for a sign-off (ready, or needing it again). Two
    grouped queries over the recommendations table."""
    recs = Recommendation.objects.visible_to(user).order_by()
    aggregates = {
        "total": Count("pk"),
        "overdue": Count("pk", filter=Recommendation.overdue_q()),
        **{f"r_{key or 'none'}": Count("pk", filter=Q(rating=key)) for key in RATING_ORDER},
    }
    rows = recs.values("review", "review__reference").annotate(**aggregates)
    waiting_recs = recs.filter(
        Q(pk__in=recs.ready_for_sign_off().values("pk"))
        | Q(pk__in=recs.needing_sign_off().values("pk"))
    )
    waiting = dict(waiting_recs.values_list("review").annotate(n=Count("pk")))
    return [
        ReviewSummary(
            row["review"],
            row["review__reference"],
            row["total"],
            [
                (key, rating_label(key), rating_tag(key), row[f"r_{key or 'none'}"])
                for key in RATING_ORDER
            ],
            row["overdue"],
            waiting.get(row["review"], 0),
        )
        for row in sorted(rows, key=lambda row: row["review__reference"])
    ]


def waiting_for_sign_off(recs):
    """Recommendations a business manager can sign off now, and those signed off
    then changed, as (recommendation, why) pairs, at most 20."""
    ready = list(recs.ready_for_sign_off().select_related("review").order_by("review", "number"))
    again = list(recs.needing_sign_off().select_related("review").order_by("review", "number"))
    rows = [(rec, "Every action is assured") for rec in ready]
    rows += [(rec, NEEDS_SIGNING_OFF_AGAIN) for rec in again]
    return rows[:20], len(rows)


# -- What changed since a date --------------------------------------------------

# Each history row since the date, newest first, with the row before it (found
# through the (id, history_date, history_id) index); the scan stops as soon as
# enough changes are found.
CHANGES_SQL = """
SELECT h.id, review.reference, rec.number, h.history_date,
       h.rating, previous.rating, h.target_date, previous.target_date,
       h.history_change_reason, person.first_name, person.last_name, person.username
FROM {history} h
JOIN {history} previous ON previous.history_id = (
  SELECT p.history_id FROM {history} p
  WHERE p.id = h.id
    AND (p.history_date < h.history_date
         OR (p.history_date = h.history_date AND p.history_id < h.history_id))
  ORDER BY p.history_date DESC, p.history_id DESC
  LIMIT 1
)
JOIN {recommendation} rec ON rec.id = h.id
JOIN {review} review ON review.id = rec.review_id
LEFT JOIN {user} person ON person.id = h.history_user_id
WHERE h.history_date >= %s AND h.id IN ({scope})
  AND (h.rating <> previous.rating OR h.target_date > previous.target_date)
ORDER BY h.history_date DESC, h.history_id DESC
LIMIT %s
"""


@dataclass
class Change:
    recommendation_id: int
    reference: str  # "SCR W6 3"
    when: datetime
    who: str
    why: str
    old: object
    new: object


@dataclass
class Changes:
    ratings: list
    dates: list
    evidence: list
    limit: int


def changes_since(user, recs, since, limit=50):
    """Rating changes, target dates moved later and new evidence since ``since``,
    newest first, at most ``limit`` of each (two queries, whatever the history)."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    scope_sql, scope_params = recs.order_by().values("pk").query.sql_with_params()
    sql = CHANGES_SQL.format(
        history=Recommendation.history.model._meta.db_table,
        scope=scope_sql,
        recommendation=Recommendation._meta.db_table,
        review=Review._meta.db_table,
        user=User._meta.db_table,
    )
    params = [connection.ops.adapt_datetimefield_value(start), *scope_params, limit * 2]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    ratings, dates = [], []
    for row in found:
        rec_id, reference, number, when, rating, was, target, was_target, why = row[:9]
        first, last, username = row[9:]
        who = f"{first or ''} {last or ''}".strip() or username or "Unknown"
        when, name = _aware(when), f"{reference} {number}"
        if rating != was:
            old, new = rating_label(was), rating_label(rating)
            ratings.append(Change(rec_id, name, when, who, why or "", old, new))
        if was_target and target and _date(target) > _date(was_target):
            old, new = _date(was_target), _date(target)
            dates.append(Change(rec_id, name, when, who, why or "", old, new))
    evidence = (
        Submission.objects.visible_to(user)
        .filter(submitted_at__gte=start, action__recommendation__in=recs.values("pk"))
        .select_related("agency", "action__recommendation__review")
        .order_by("-submitted_at", "-pk")[:limit]
    )
    return Changes(ratings[:limit], dates[:limit], list(evidence), limit)


def _aware(value):
    if isinstance(value, str):  # SQLite
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, timezone.UTC)


def _date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value
