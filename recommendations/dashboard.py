"""The executive dashboard: where every recommendation stands and what changed.

Everything on the page comes from a fixed number of queries whatever the
number of recommendations, actions, submissions and history rows (pinned in
tests/test_query_counts.py)."""

import calendar
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from evidence.models import Submission
from recommendations.forms import NOT_RATED
from recommendations.models import RATING_TAG_CLASSES, Action, Rating, Recommendation
from recommendations.timeline import entries, states_at

DEFAULT_SINCE_DAYS = 30
TREND_MONTHS = 12
# Chart colours (GOV.UK palette) and the text colour readable on each.
CHART_COLOURS = {
    Rating.RED: ("#ca3535", "#ffffff"),
    Rating.AMBER: ("#f47738", "#0b0c0c"),
    Rating.GREEN: ("#0f7a52", "#ffffff"),
    Rating.COMPLETE: ("#1d70b8", "#ffffff"),
    "": ("#cecece", "#0b0c0c"),
}
RATING_ORDER = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.COMPLETE, ""]
WATCHED = {"rating": "Rating", "target_date": "Target date"}


def filtered(user, filters):
    """The recommendations the user may see, narrowed by the filter form's values."""
    recs = Recommendation.objects.visible_to(user).for_dashboard()
    if filters.get("review"):
        recs = recs.filter(review=filters["review"])
    if filters.get("rating") == NOT_RATED:
        recs = recs.filter(rating="")
    elif filters.get("rating"):
        recs = recs.filter(rating=filters["rating"])
    if filters.get("agency"):
        recs = recs.filter(
            Exists(Action.objects.filter(recommendation=OuterRef("pk"), agency=filters["agency"]))
        )
    if filters.get("overdue"):
        recs = recs.filter(Recommendation.overdue_q())
    return recs


def rating_counts(recs):
    """(label, tag class, count) for every rating, in order, and "Not yet rated"."""
    counts = {key: 0 for key in RATING_ORDER}
    for rec in recs:
        counts[rec.rating] += 1
    return [(rating_label(key), rating_tag(key), counts[key]) for key in RATING_ORDER]


def rating_label(key):
    return Rating(key).label if key else "Not yet rated"


def rating_tag(key):
    return RATING_TAG_CLASSES[Rating(key)] if key else "govuk-tag--grey"


@dataclass
class Changes:
    ratings: list
    dates: list
    evidence: list


def changes_since(user, recs, since):
    """Rating changes, slipped target dates and new evidence since ``since``."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    rows = history_rows(recs)
    ratings, dates = [], []
    for entry in entries(rows, WATCHED, subject=lambda row: row):
        if entry.when < start or entry.created:
            continue
        for change in entry.changes:
            if change.field == "rating":
                ratings.append((entry, change))
            elif change.old_value and change.new_value and change.new_value > change.old_value:
                dates.append((entry, change))
    evidence = (
        Submission.objects.visible_to(user)
        .filter(submitted_at__gte=start, action__recommendation__in=recs.values("pk"))
        .select_related("agency", "action__recommendation__review")
        .order_by("-submitted_at")
    )
    newest = lambda item: item[0].when  # noqa: E731
    return Changes(
        sorted(ratings, key=newest, reverse=True),
        sorted(dates, key=newest, reverse=True),
        list(evidence),
    ), rows


def history_rows(recs):
    return list(
        Recommendation.history.filter(id__in=recs.values("pk"))
        .select_related("history_user", "review")
        .order_by("id", "history_date", "history_id")
    )


def default_since():
    return timezone.localdate() - timedelta(days=DEFAULT_SINCE_DAYS)


def month_ends(today, months=TREND_MONTHS):
    """The last moment of each of the ``months`` months up to and including today's."""
    ends, year, month = [], today.year, today.month
    for _ in range(months):
        last_day = calendar.monthrange(year, month)[1]
        end = timezone.make_aware(datetime(year, month, last_day, 23, 59, 59))
        ends.append((f"{calendar.month_abbr[month]} {year}", min(end, timezone.now())))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


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


def trend(rows):
    """The ratings at each month end over the last year, as chart bars and table rows."""
    first = min((row.history_date for row in rows), default=None)
    moments = month_ends(timezone.localdate())
    if first is not None:
        moments = [(label, at) for label, at in moments if at >= first] or moments[-1:]
    states = states_at(rows, [at for _, at in moments], value=lambda row: row.rating)
    biggest = max((len(state) for state in states), default=0) or 1
    bars = []
    for index, ((label, _), state) in enumerate(zip(moments, states, strict=True)):
        counts = [sum(1 for rating in state.values() if rating == key) for key in RATING_ORDER]
        y, segments = CHART_HEIGHT, []
        for key, count in zip(RATING_ORDER, counts, strict=True):
            if not count:
                continue
            height = round(count * CHART_HEIGHT / biggest)
            y -= height
            fill, text = CHART_COLOURS[key]
            segments.append(
                (Rating(key).label if key else "Not yet rated", count, y, height, fill, text)
            )
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
