"""The ratings trend: the kept month-end counts give the same figures as
reading the whole history, are computed once per closed month and review, and
the current month is always live."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recommendations.models import Recommendation, Review
from scr_tracker.audit import changes_by
from scr_tracker.reporting import trend
from scr_tracker.reporting.models import MonthEndCount
from tests import factories


def _months_ago(months, day=1):
    today = timezone.localdate()
    year, month = today.year, today.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return timezone.make_aware(datetime.datetime(year, month, day, 0, 30))  # never ahead of now


@pytest.fixture
def history(w6, manager):
    """Ratings that moved over the last months, with back-dated history rows
    (as if each change had been made then)."""
    second = factories.make_review("CSPR Q2")
    recs = list(w6.recommendations.order_by("number")[:4]) + [
        factories.make_recommendation(second, n) for n in (1, 2)
    ]
    Recommendation.history.update(history_date=_months_ago(8))
    for months_ago, rating, index in [
        (6, "red", 0),
        (5, "amber", 0),
        (5, "red", 1),
        (3, "green", 1),
        (2, "amber", 4),
        (1, "green", 0),
        (0, "amber", 5),
    ]:
        rec = Recommendation.objects.get(pk=recs[index].pk)
        with changes_by(manager, "Rating changed: invented"):
            rec.rating, rec.rating_rationale = rating, "Invented."
            rec.save()
        latest = rec.history.order_by("-history_date", "-history_id").first()
        Recommendation.history.filter(history_id=latest.history_id).update(
            history_date=_months_ago(months_ago)
        )
    return recs


def _figures(trend):
    return [(bar.label, bar.counts) for bar in trend["bars"]]


@pytest.mark.parametrize("which", ["all", "one"])
def test_kept_counts_give_the_figures_the_history_gives(history, w6, which):
    reviews = list(Review.objects.values_list("pk", flat=True)) if which == "all" else [w6.pk]
    recs = Recommendation.objects.filter(review__in=reviews)
    from_history = _figures(trend.trend(recs))
    assert _figures(trend.trend(recs, reviews=reviews)) == from_history
    # Once kept, the same again.
    assert MonthEndCount.objects.exists()
    assert _figures(trend.trend(recs, reviews=reviews)) == from_history
    # And the figures are the ones the history says: rec 1 red 6 months ago.
    six_months_ago = dict(from_history)[_months_ago(6).strftime("%b %Y")]
    assert six_months_ago[trend.RATING_ORDER.index("red")] == 1


def test_a_closed_month_is_computed_once(history):
    reviews = list(Review.objects.values_list("pk", flat=True))
    recs = Recommendation.objects.all()
    trend.trend(recs, reviews=reviews)
    kept = MonthEndCount.objects.count()
    assert kept == 2 * (trend.TREND_MONTHS - 1) * len(trend.RATING_ORDER)
    with CaptureQueriesContext(connection) as queries:
        trend.trend(recs, reviews=reviews)
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "INSERT" not in sql
    assert "LEAD(" not in sql  # no history is read
    assert MonthEndCount.objects.count() == kept


def test_the_current_month_is_live(history, manager, w6):
    reviews = list(Review.objects.values_list("pk", flat=True))
    recs = Recommendation.objects.all()
    before = trend.trend(recs, reviews=reviews)["bars"][-1].counts
    rec = Recommendation.objects.get(review=w6, number=9)
    with changes_by(manager, "Rating changed: invented"):
        rec.rating, rec.rating_rationale = "red", "Invented."
        rec.save()
    after = trend.trend(recs, reviews=reviews)["bars"][-1].counts
    red, unrated = trend.RATING_ORDER.index("red"), trend.RATING_ORDER.index("")
    assert after[red] == before[red] + 1
    assert after[unrated] == before[unrated] - 1
