"""The business managers' new lists read the database in a fixed number of
queries, whatever the number of rows. The counts include the session, user
(whose role is a field of the person: no query of its own), second-factor
device and "needs your attention" lookups (one query: the menu's counts and
the home page's list, reporting/attention.py); the session's idle-expiry
refresh (three more) is written at most once a minute, so it is made before
counting (``sign_in``)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests import factories


def sign_in(client, user):
    """Signed in, with the session's once-a-minute refresh already written."""
    client.force_login(user)
    client.get(reverse("evidence:notification_list"))


def held_file(action, user):
    submission = factories.make_submission(action, user)
    return factories.make_file(
        submission, state="held", held_reason="Pictures cannot be checked automatically."
    )


def test_held_files_list_is_a_fixed_number_of_queries(
    manager, agency_a, agency_a_user, django_assert_num_queries
):
    client = Client()
    sign_in(client, manager)
    url = reverse("evidence:held_files")
    action = factories.make_action(agency=agency_a)
    held_file(action, agency_a_user)
    # session, user, attention, the count and the page of files, the filter's
    # agencies and reviews, refresh
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(5):
        held_file(factories.make_action(agency=agency_a), agency_a_user)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["files"]) == 6


def test_register_page_is_a_fixed_number_of_queries(manager, django_assert_num_queries):
    client = Client()
    sign_in(client, manager)
    url = reverse("intake:register")
    factories.make_restricted_term("Invented One")
    factories.make_restricted_document("invented words for a register entry " * 5)
    with django_assert_num_queries(9):
        client.get(url)
    for n in range(4):
        factories.make_restricted_term(f"Invented Term {n}")
        factories.make_restricted_document(f"more invented words number {n} " * 5, label=f"D{n}")
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["terms"]) == 5


def _grow(w6, agencies, users, rounds):
    """More actions, evidence and history on every recommendation."""
    for rec in w6.recommendations.all():
        for agency, user in zip(agencies, users, strict=True):
            for _ in range(rounds):
                action = factories.make_action(recommendation=rec, agency=agency)
                factories.make_file(factories.make_submission(action, user))
                factories.make_progress(action, user)
        with factories.setup_changes():
            for rating in ["red", "amber"] * rounds:
                rec.rating, rec.rating_rationale = rating, "Invented."
                rec.save()


def _count(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# session, user (with their role), then: the summary per review (counts, and waiting for
# sign-off), the review shown (when there is only one), the last board pack,
# the table's count, its page of rows (evidence tallies and sign-off state in
# the same query) and their actions with agencies, the counts per rating,
# overdue, escalated requests (count and list), ready for sign-off, needing it
# again, what changed (one query with its recommendations and people), new
# evidence, the trend (the kept month-end counts: which are kept, their sums,
# and this month's live counts), rating definitions, the filter form's choices
# (and its themes), the figures per theme (one grouped query); then the
# session refresh (three). Every count and tally is computed in the
# database: none of these returns more than a page of rows.
DASHBOARD_QUERIES = 27
# session, user (with their role), then: the recommendation, its actions, its
# evidence, its actions' progress (latest update and thread length), its
# confirmed repeats, its themes, its history, its actions' history, its lead officers,
# rating definitions; then the session refresh.
RECOMMENDATION_QUERIES = 15


def test_the_dashboard_is_a_fixed_number_of_queries(
    w6, executive, agency_a, agency_b, agency_a_user, agency_b_user, django_assert_num_queries
):
    client = Client()
    sign_in(client, executive)
    url = reverse("reporting:dashboard")
    agencies, users = [agency_a, agency_b], [agency_a_user, agency_b_user]
    _grow(w6, agencies, users, 1)
    # The first request of a month computes and keeps the closed months' counts
    # for the trend (tests/test_trend.py); every later one reads them.
    client.get(url)
    _count(client, url, django_assert_num_queries, DASHBOARD_QUERIES)
    factories.make_recommendation(review=w6, number=12)
    _grow(w6, agencies, users, 2)
    _count(client, url, django_assert_num_queries, DASHBOARD_QUERIES)
    _count(
        client,
        url + f"?agency={agency_a.pk}&rating=amber",
        django_assert_num_queries,
        # The filter form looks the chosen agency up (one more); a filtered
        # table's trend is one window query over its history (two fewer).
        DASHBOARD_QUERIES - 1,
    )


def test_the_recommendation_page_is_a_fixed_number_of_queries(
    w6, manager, agency_a, agency_b, agency_a_user, agency_b_user, django_assert_num_queries
):
    client = Client()
    sign_in(client, manager)
    rec = w6.recommendations.get(number=1)
    url = reverse("recommendations:recommendation_detail", args=[rec.pk])
    agencies, users = [agency_a, agency_b], [agency_a_user, agency_b_user]
    _grow(w6, agencies, users, 1)
    _count(client, url, django_assert_num_queries, RECOMMENDATION_QUERIES)
    _grow(w6, agencies, users, 3)
    _count(client, url, django_assert_num_queries, RECOMMENDATION_QUERIES)


def test_my_actions_is_a_fixed_number_of_queries(
    w6, agency_a, agency_b, agency_a_user, agency_b_user, django_assert_num_queries
):
    client = Client()
    sign_in(client, agency_a_user)
    url = reverse("recommendations:my_actions")
    _grow(w6, [agency_a], [agency_a_user], 1)
    # session, user (with their role), agency (the header), the count and the page
    # of actions, their evidence, refresh (3)
    _count(client, url, django_assert_num_queries, 9)
    _grow(w6, [agency_a, agency_b], [agency_a_user, agency_b_user], 2)
    _count(client, url, django_assert_num_queries, 9)


def test_requests_and_notifications_are_a_fixed_number_of_queries(
    w6, manager, agency_a, agency_a_user, django_assert_num_queries
):
    from evidence import reminders

    client = Client()
    sign_in(client, manager)
    manager.email = "bm@example.invalid"
    with factories.setup_changes():
        manager.save()

    def more(count):
        for _ in range(count):
            action = factories.make_action(agency=agency_a)
            factories.make_request(action, manager, due_date=datetime.date(2026, 1, 1))
        reminders.run(today=datetime.date(2026, 3, 1))

    more(1)
    # session, user (with their role), then the count and the page (and, for
    # requests, the filter's agencies and reviews), then the session refresh
    _count(client, reverse("evidence:request_list"), django_assert_num_queries, 8)
    _count(client, reverse("evidence:notification_list"), django_assert_num_queries, 6)
    more(4)
    _count(client, reverse("evidence:request_list"), django_assert_num_queries, 8)
    _count(client, reverse("evidence:notification_list"), django_assert_num_queries, 6)


def test_the_board_report_is_a_fixed_number_of_queries(
    w6, manager, agency_a, agency_a_user, django_assert_num_queries
):
    client = Client()
    sign_in(client, manager)
    factories.make_board_pack(w6, manager, board_date=datetime.date(2026, 1, 1))
    latest = factories.make_board_pack(w6, manager, board_date=datetime.date(2026, 2, 1))
    url = reverse("reporting:board_pack", args=[latest.pk])
    # session, user (with their role), the pack, its reviews, the previous one, then the
    # session refresh (two more, whatever their number, when target dates
    # slipped: their reasons)
    _count(client, url, django_assert_num_queries, 7)
    _grow(w6, [agency_a], [agency_a_user], 2)
    latest = factories.make_board_pack(w6, manager, board_date=datetime.date(2026, 3, 1))
    url = reverse("reporting:board_pack", args=[latest.pk])
    _count(client, url, django_assert_num_queries, 7)


# As the executive's, with the manager's "Needs your attention" list (still
# one query) and the impact reviews due.
MANAGER_DASHBOARD_QUERIES = DASHBOARD_QUERIES + 1


def test_the_managers_dashboard_is_a_fixed_number_of_queries(
    w6, manager, agency_a, agency_b, agency_a_user, agency_b_user, django_assert_num_queries
):
    client = Client()
    sign_in(client, manager)
    url = reverse("reporting:dashboard")
    agencies, users = [agency_a, agency_b], [agency_a_user, agency_b_user]
    _grow(w6, agencies, users, 1)
    client.get(url)
    _count(client, url, django_assert_num_queries, MANAGER_DASHBOARD_QUERIES)
    _grow(w6, agencies, users, 2)
    _count(client, url, django_assert_num_queries, MANAGER_DASHBOARD_QUERIES)


def _more_reviews(manager, earlier, rounds):
    """More reviews, recommendations, themes, repeats and words to find."""
    for _ in range(rounds):
        review = factories.make_review()
        theme = factories.make_theme()
        for number in (1, 2):
            rec = factories.make_recommendation(
                review=review, number=number, text="Invented supervision of practitioners."
            )
            factories.make_theme_link(rec, theme, manager)
            action = factories.make_action(recommendation=rec)
            factories.make_progress(action, text="Supervision audit booked.")
        factories.make_repeat(rec, earlier, manager)


# route, its argument, queries: the pages of many reviews side by side, each
# a fixed number of queries whatever the number of reviews, themes and
# repeats (session, user and attention, then the page's own: the reviews with
# their counts; a review and its recommendations; the suggestions, the
# decisions kept, the confirmed repeats and the review's next recommendation,
# after reading the text's
# distinctive words (on a table this small, none: the trigram threshold is
# set, one query more than at scale); the themes with their counts; the
# recommendation, its themes and the list to tick; each searched kind's
# ranked page and count).
MANY_REVIEWS_PAGES = [
    ("recommendations:review_list", None, 5),
    ("recommendations:review_detail", "review", 6),
    # On SQLite (the demo): no distinctive words, threshold or savepoint.
    ("recommendations:repeat_check", "rec", {"postgresql": 13, "sqlite": 9}),
    ("recommendations:theme_list", None, 5),
    ("recommendations:recommendation_themes", "rec", 8),
    ("search", None, 16),
]


@pytest.mark.parametrize("route, argument, expected", MANY_REVIEWS_PAGES)
def test_the_pages_of_many_reviews_are_a_fixed_number_of_queries(
    w6, manager, django_assert_num_queries, route, argument, expected
):
    client = Client()
    sign_in(client, manager)
    rec = w6.recommendations.get(number=1)
    args = {"review": [w6.pk], "rec": [rec.pk], None: []}[argument]
    url = reverse(route, args=args) + ("?q=supervision" if route == "search" else "")
    if isinstance(expected, dict):
        expected = expected[connection.vendor]
    _more_reviews(manager, rec, 1)
    _count(client, url, django_assert_num_queries, expected)
    _more_reviews(manager, rec, 3)
    _count(client, url, django_assert_num_queries, expected)
