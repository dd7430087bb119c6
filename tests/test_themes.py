"""The partnership's themes: kept by business managers, given to
recommendations of any review (each one added or taken away in history, the
recommendation's version and sign-off untouched), and on the dashboard as a
table per theme (read cell by cell) and as a filter across reviews."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.models import RecommendationTheme, Theme
from tests import factories, snapshot
from tests.html_cells import rows_by, text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = reverse("recommendations:theme_list")


def _themes_url(rec):
    return reverse("recommendations:recommendation_themes", args=[rec.pk])


def test_a_manager_adds_a_theme_and_a_second_of_the_same_name_is_refused(manager_client):
    added = manager_client.post(
        reverse("recommendations:theme_create"),
        {"name": "  Information   sharing ", "description": "Who shares what, and when."},
    )
    assert added.status_code == 302
    theme = Theme.objects.get()
    assert theme.name == "Information sharing"
    assert theme.history.get().history_change_reason == "Theme added"

    before = snapshot.take()
    refused = manager_client.post(
        reverse("recommendations:theme_create"), {"name": "information SHARING"}
    )
    assert refused.status_code == 400
    assert "There is already a theme called “Information sharing”" in text(refused.content.decode())
    snapshot.assert_unchanged(before)
    listed = rows_by(manager_client.get(LIST).content.decode(), "data-theme")
    assert listed == {
        "Information sharing": [
            "Information sharing",
            "Who shares what, and when.",
            "0",
            "Change",
        ]
    }


def test_a_theme_is_renamed_as_a_versioned_edit_and_a_stale_form_is_refused(manager_client):
    theme = factories.make_theme("Neglect")
    url = reverse("recommendations:theme_edit", args=[theme.pk])
    saved = manager_client.post(url, {"version": 1, "name": "Neglect and its signs"})
    assert saved.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.version) == ("Neglect and its signs", 2)
    before = snapshot.take()
    stale = manager_client.post(url, {"version": 1, "name": "Something else"})
    assert stale.status_code == 409
    snapshot.assert_unchanged(before)


def test_themes_given_and_taken_away_each_leave_history_and_keep_the_sign_off(
    w6, manager, manager_client
):
    rec = w6.recommendations.get(number=3)
    factories.make_sign_off(rec, manager)
    neglect, sharing = factories.make_theme("Neglect"), factories.make_theme("Information sharing")
    version = rec.version

    given = manager_client.post(_themes_url(rec), {"themes": [neglect.pk, sharing.pk]})
    assert given.status_code == 302
    page = manager_client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    shown = page.content.decode()
    carried = shown.split('id="themes">')[1].split("</dd>")[0]
    assert text(carried) == "Information sharing Neglect"
    assert "Needs signing off again" not in shown
    rec.refresh_from_db()
    assert rec.version == version  # a theme is filing, not what was signed off

    taken = manager_client.post(
        _themes_url(rec), {"themes": [sharing.pk], "shown": [neglect.pk, sharing.pk]}
    )
    assert taken.status_code == 302
    assert [t.name for t in rec.themes.all()] == ["Information sharing"]
    rows = RecommendationTheme.history.filter(recommendation=rec).order_by("history_date", "pk")
    assert [
        (r.history_type, r.theme_id, r.history_user, r.history_change_reason) for r in rows
    ] == [
        ("+", neglect.pk, manager, "Themes changed"),
        ("+", sharing.pk, manager, "Themes changed"),
        ("-", neglect.pk, manager, "Themes changed"),
    ]


def test_a_theme_someone_gave_meanwhile_is_kept(w6, manager_client, manager):
    rec = w6.recommendations.get(number=4)
    neglect, sharing = factories.make_theme("Neglect"), factories.make_theme("Information sharing")
    # The form was drawn with no themes; meanwhile another manager gave Neglect.
    factories.make_theme_link(rec, neglect, manager)
    manager_client.post(_themes_url(rec), {"themes": [sharing.pk]})
    assert sorted(t.name for t in rec.themes.all()) == ["Information sharing", "Neglect"]


def test_a_theme_not_on_the_list_is_refused_and_nothing_changes(w6, manager_client):
    rec = w6.recommendations.get(number=4)
    before = snapshot.take()
    refused = manager_client.post(_themes_url(rec), {"themes": "999999"})
    assert refused.status_code == 400
    assert "Choose themes from the list." in refused.content.decode()
    snapshot.assert_unchanged(before)


def test_a_new_recommendation_is_given_its_themes_as_it_is_added(manager_client, manager):
    review = factories.make_review("CSPR T1")
    neglect = factories.make_theme("Neglect")
    added = manager_client.post(
        reverse("recommendations:recommendation_add", args=[review.pk]),
        {
            "number": 1,
            "short_title": "Invented neglect tool",
            "text": "Every agency should use the neglect assessment tool.",
            "response": "accepted",
            "themes": [neglect.pk],
        },
    )
    assert added.status_code == 302
    rec = review.recommendations.get()
    assert [t.name for t in rec.themes.all()] == ["Neglect"]
    assert RecommendationTheme.history.get().history_change_reason == "Recommendation added"


@pytest.fixture
def themed(w6, manager):
    """Two reviews with themed recommendations: W6 recommendations 1 (Complete)
    and 2 (overdue) are "Neglect"; 2 and a second review's recommendation,
    confirmed as repeating W6's 2, are "Information sharing"; a restricted
    review's recommendation, not granted, is "Neglect" too."""
    neglect, sharing = factories.make_theme("Neglect"), factories.make_theme("Information sharing")
    factories.make_theme("Unused theme")
    one, two = w6.recommendations.get(number=1), w6.recommendations.get(number=2)
    with factories.setup_changes():
        one.rating, one.rating_rationale = "complete", "Done."
        one.save()
        two.target_date = TODAY - datetime.timedelta(days=3)
        two.save()
    later = factories.make_recommendation(review=factories.make_review("CSPR T2"), number=1)
    hidden = factories.make_recommendation(
        review=factories.make_review("DHR T3", is_restricted=True), number=1
    )
    for rec, theme in [
        (one, neglect),
        (two, neglect),
        (two, sharing),
        (later, sharing),
        (hidden, neglect),
    ]:
        factories.make_theme_link(rec, theme, manager)
    factories.make_repeat(later, two, manager)
    factories.make_repeat(two, hidden, manager)  # the earlier one is hidden: not counted
    return {"neglect": neglect, "sharing": sharing, "later": later}


def _by_theme(client, query=""):
    page = client.get(reverse("reporting:dashboard") + query)
    assert page.status_code == 200
    return page.content.decode(), rows_by(page.content.decode(), "data-theme")


def test_the_dashboard_counts_each_theme_across_reviews(themed, manager_client, executive):
    html, rows = _by_theme(manager_client)
    # theme: recommendations, Complete, overdue, repeat an earlier one
    assert rows == {
        "Information sharing": ["Information sharing", "2", "0", "1", "1"],
        "Neglect": ["Neglect", "2", "1", "1", "0"],
    }
    assert "Each theme, across reviews" in text(html)
    executive_client = Client()
    executive_client.force_login(executive)
    assert _by_theme(executive_client)[1] == rows


def test_the_dashboard_filters_by_theme_across_reviews(themed, manager_client):
    sharing = themed["sharing"]
    html, rows = _by_theme(manager_client, f"?theme={sharing.pk}")
    table = rows_by(html, "data-recommendation")
    assert sorted(table) == sorted(
        [str(themed["later"].pk), str(themed["later"].repeat_judgements.get().earlier_id)]
    )
    assert "on “Information sharing” stand" in text(html)
    # The per-theme table still shows every theme, the chosen one marked.
    assert rows["Information sharing"][0] == "Information sharing (shown below)"
    # With a review chosen, the table counts that review's recommendations only.
    w6_only = _by_theme(manager_client, f"?review={themed['later'].review_id}")[1]
    assert w6_only == {"Information sharing": ["Information sharing", "1", "0", "0", "1"]}


def test_a_theme_not_on_the_list_is_a_clear_error_on_the_dashboard(themed, manager_client):
    page = manager_client.get(reverse("reporting:dashboard") + "?theme=999999")
    assert page.status_code == 400
    assert "Choose a theme from the list." in page.content.decode()
