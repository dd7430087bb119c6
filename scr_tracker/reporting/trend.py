"""The ratings trend: how many recommendations had each rating at the end of
each of the last twelve months, as chart bars and a table.

Closed months come from MonthEndCount, computed once from the history and then
kept (a closed month's history never changes); the current month is the live
count. A filtered table's trend is one window query over the history of the
recommendations shown (docs/reporting.md)."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from recommendations.models import Rating, Recommendation
from scr_tracker.reporting.dashboard import RATING_ORDER, rating_label
from scr_tracker.reporting.models import MonthEndCount

TREND_MONTHS = 12
# Chart colours (GOV.UK palette) and the text colour readable on each.
CHART_COLOURS = {
    Rating.RED: ("#ca3535", "#ffffff"),
    Rating.AMBER: ("#f47738", "#0b0c0c"),
    Rating.GREEN: ("#0f7a52", "#ffffff"),
    Rating.COMPLETE: ("#1d70b8", "#ffffff"),
    "": ("#cecece", "#0b0c0c"),
}


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
