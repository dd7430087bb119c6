"""What the dashboard counts: every figure is computed in the database.

Nothing here loads all recommendations, submissions or history rows into
Python: counts are aggregates, evidence tallies are correlated subqueries for
the rows shown, "what changed" and the trend are window queries over the
history table (tests/test_query_counts.py pins the number of queries;
benchmarks/pages.py measures them at 10,000 recommendations)."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from evidence.models import Submission
from recommendations.models import (
    NEEDS_SIGNING_OFF_AGAIN,
    RATING_TAG_CLASSES,
    Action,
    Rating,
    Recommendation,
    Review,
)
from scr_tracker.accounts.models import User
from scr_tracker.reporting.models import MonthEndCount

NOT_RATED = "none"
TREND_MONTHS = 12
RATING_ORDER = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.COMPLETE, ""]
# Chart colours (GOV.UK palette) and the text colour readable on each.
CHART_COLOURS = {
    Rating.RED: ("#ca3535", "#ffffff"),
    Rating.AMBER: ("#f47738", "#0b0c0c"),
    Rating.GREEN: ("#0f7a52", "#ffffff"),
    Rating.COMPLETE: ("#1d70b8", "#ffffff"),
    "": ("#cecece", "#0b0c0c"),
}


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


# -- Ratings at each month end ----------------------------------------------------

TREND_SQL = """
WITH h AS (
  SELECT id, rating, history_type, history_date,
         LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) AS until
  FROM {history}
  WHERE id IN ({scope})
), moments (position, at) AS (VALUES {moments})
SELECT m.position, h.rating, COUNT(*)
FROM moments m JOIN h ON h.history_date <= m.at AND (h.until IS NULL OR h.until > m.at)
WHERE h.history_type <> '-'
GROUP BY m.position, h.rating
"""


TREND_BY_REVIEW_SQL = """
WITH h AS (
  SELECT id, review_id, rating, history_type, history_date,
         LEAD(history_date) OVER (PARTITION BY id ORDER BY history_date, history_id) AS until
  FROM {history}
  WHERE id IN ({scope})
), moments (position, at) AS (VALUES {moments})
SELECT m.position, h.review_id, h.rating, COUNT(*)
FROM moments m JOIN h ON h.history_date <= m.at AND (h.until IS NULL OR h.until > m.at)
WHERE h.history_type <> '-'
GROUP BY m.position, h.review_id, h.rating
"""


@dataclass
class MonthEnd:
    label: str  # "Mar 2027"
    month: date  # its first day
    at: datetime  # its last moment, or now for the current month


def month_ends(today, months=TREND_MONTHS):
    """The last moment of each of the ``months`` months up to and including
    today's (today's month ends now), oldest first."""
    ends, year, month = [], today.year, today.month
    for _ in range(months):
        last_day = calendar.monthrange(year, month)[1]
        end = timezone.make_aware(datetime(year, month, last_day, 23, 59, 59))
        label = f"{calendar.month_abbr[month]} {year}"
        ends.append(MonthEnd(label, date(year, month, 1), min(end, timezone.now())))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def _window_counts(sql, recs, moments):
    """Run a trend query over the history of ``recs`` at ``moments``."""
    scope_sql, scope_params = recs.order_by().values("pk").query.sql_with_params()
    history = Recommendation.history.model._meta.db_table
    values = ", ".join(["(%s, %s)"] * len(moments))
    params = list(scope_params)
    for position, at in enumerate(moments):
        params += [position, connection.ops.adapt_datetimefield_value(at)]
    sql = sql.format(history=history, scope=scope_sql, moments=values)
    if connection.vendor == "postgresql":
        sql = sql.replace("VALUES (%s, %s)", "VALUES (%s::int, %s::timestamptz)", 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ratings_at(recs, moments):
    """For each moment, {rating: count} of the recommendations in ``recs`` as
    their history stood then (one window query over their history)."""
    states = [{} for _ in moments]
    for position, rating, count in _window_counts(TREND_SQL, recs, moments):
        states[position][rating] = count
    return states


def _fill_month_ends(missing, ends):
    """Compute and keep the month-end counts for ``missing`` (review id, month)
    pairs, from the history (one window query)."""
    months = sorted({month for _, month in missing})
    moments = [end.at for end in ends if end.month in months]
    reviews = {review for review, _ in missing}
    found = {}
    recs = Recommendation.objects.filter(review__in=reviews)
    for position, review, rating, count in _window_counts(TREND_BY_REVIEW_SQL, recs, moments):
        found[(review, months[position], rating)] = count
    MonthEndCount.objects.bulk_create(
        [
            MonthEndCount(
                review_id=review, month=month, rating=key, count=found.get((review, month, key), 0)
            )
            for review, month in sorted(missing)
            for key in RATING_ORDER
        ],
        ignore_conflicts=True,  # another request filled them first: the same figures
    )


def month_end_counts(review_ids, ends):
    """For each closed month in ``ends``, {rating: count} summed over the
    reviews ``review_ids``, from MonthEndCount (filled first where a month is
    missing: once per review and month)."""
    months = [end.month for end in ends]
    kept = MonthEndCount.objects.filter(review__in=review_ids, month__in=months)
    have = set(kept.values_list("review", "month").distinct())
    wanted = {(review, month) for review in review_ids for month in months}
    if wanted - have:
        _fill_month_ends(wanted - have, ends)
    states = {month: {} for month in months}
    for month, rating, count in kept.values_list("month", "rating").annotate(n=Sum("count")):
        states[month][rating] = count
    return [states[month] for month in months]


@dataclass
class Bar:
    label: str
    x: int
    segments: list  # (rating label, count, y, height, fill, text colour)
    counts: list  # count per rating, in RATING_ORDER


CHART_HEIGHT = 200
BAR_WIDTH = 36
GAP = 16
LEFT = 40


def trend(recs, reviews=None):
    """The ratings at each month end over the last year, as chart bars and table
    rows (months before the first recommendation existed are left out).

    With ``reviews`` (ids of reviews shown whole, unfiltered), closed
    months come from the kept month-end counts and the current month from the
    live ratings: no history is read. Otherwise (a filtered table) one window
    query reads the history of the recommendations shown."""
    ends = month_ends(timezone.localdate())
    if reviews is None:
        states = ratings_at(recs, [end.at for end in ends])
    else:
        states = month_end_counts(reviews, ends[:-1])
        states.append(dict(recs.order_by().values_list("rating").annotate(n=Count("pk"))))
    kept = [(m, s) for m, s in zip(ends, states, strict=True) if sum(s.values())] or [
        (ends[-1], states[-1])
    ]
    biggest = max((sum(state.values()) for _, state in kept), default=0) or 1
    bars = []
    for index, (end, state) in enumerate(kept):
        label = end.label
        counts = [state.get(key, 0) for key in RATING_ORDER]
        y, segments = CHART_HEIGHT, []
        for key, count in zip(RATING_ORDER, counts, strict=True):
            if not count:
                continue
            height = round(count * CHART_HEIGHT / biggest)
            y -= height
            fill, text = CHART_COLOURS[key]
            segments.append((rating_label(key), count, y, height, fill, text))
        bars.append(Bar(label, LEFT + index * (BAR_WIDTH + GAP), segments, counts))
    return {
        "bars": bars,
        "width": LEFT + len(bars) * (BAR_WIDTH + GAP),
        "height": CHART_HEIGHT,
        "biggest": biggest,
        "bar_width": BAR_WIDTH,
        "legend": [(rating_label(key), CHART_COLOURS[key][0]) for key in RATING_ORDER],
        "columns": [rating_label(key) for key in RATING_ORDER],
    }
