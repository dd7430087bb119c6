"""Changing ratings as a business manager does before a board: one page per
review where several change at once, each a versioned edit with its own
reason (a conflict on one row leaves the others saved and names it); and the
single rating form asks for a reason written for this change, and says what
is saved after a refusal or a conflict."""

import re

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from scr_tracker.audit import changes_by
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(w6):
    with factories.setup_changes():
        for rec in w6.recommendations.all():
            rec.rating, rec.rating_rationale = "amber", f"Invented reason {rec.number}."
            rec.save()
    return w6


def page_url(review):
    return reverse("recommendations:review_ratings", args=[review.pk])


def rows_of(review):
    return {rec.number: rec for rec in review.recommendations.all()}


def post_data(client, review, changes):
    """The page's form as drawn, with ``changes`` {number: (rating, reason)}."""
    html = client.get(page_url(review)).content.decode()
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for rec in review.recommendations.all():
        prefix = f"r{rec.pk}"
        if f"{prefix}-version" not in data:
            continue
        rating, reason = changes.get(rec.number, (rec.rating, ""))
        data[f"{prefix}-rating"] = rating
        data[f"{prefix}-rating_rationale"] = reason
    return data


def test_several_ratings_change_at_once_each_with_its_history(review, manager_client, manager):
    versions = {n: r.version for n, r in rows_of(review).items()}
    data = post_data(
        manager_client,
        review,
        {2: ("green", "Audit shows the new practice in place."), 5: ("red", "No plan yet.")},
    )
    response = manager_client.post(page_url(review), data)
    assert response.status_code == 302
    recs = rows_of(review)
    assert (recs[2].rating, recs[2].rating_rationale) == (
        "green",
        "Audit shows the new practice in place.",
    )
    assert (recs[5].rating, recs[5].rating_rationale) == ("red", "No plan yet.")
    assert {n for n, r in recs.items() if r.version != versions[n]} == {2, 5}
    latest = recs[2].history.first()
    assert latest.history_user == manager
    assert latest.history_change_reason == "Rating changed: Audit shows the new practice in place."
    page = manager_client.get(page_url(review)).content.decode()
    assert "Saved: recommendation(s) 2, 5." in page


def test_a_changed_rating_needs_its_own_reason_and_nothing_is_half_saved(review, manager_client):
    before = {n: (r.rating, r.version) for n, r in rows_of(review).items()}
    data = post_data(
        manager_client,
        review,
        {2: ("green", "Audit done."), 4: ("red", ""), 6: ("amber", "Invented reason 6.")},
    )
    response = manager_client.post(page_url(review), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem: nothing was saved" in page
    assert "Say why recommendation 4 is now Red." in page
    assert "Write a new reason for recommendation 6: this is the reason it has now." in page
    assert {n: (r.rating, r.version) for n, r in rows_of(review).items()} == before
    # What was typed is still there to correct.
    assert "Audit done.</textarea>" in page


def test_a_conflict_on_one_row_leaves_the_others_saved_and_names_it(
    review, manager_client, manager
):
    data = post_data(manager_client, review, {2: ("green", "Audit done."), 3: ("red", "Stalled.")})
    other = factories.make_user("business_manager", username="other-manager")
    rec3 = review.recommendations.get(number=3)
    with changes_by(other, "Rating changed: meanwhile"):  # someone else, after the page was drawn
        rec3.rating, rec3.rating_rationale = "green", "Meanwhile: done."
        rec3.version += 1
        rec3.save()
    response = manager_client.post(page_url(review), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "One change was not saved: someone else changed that recommendation first" in page
    assert "Recommendation 3 is now Green" in page
    assert "Your other changes were saved (2)." in page
    recs = rows_of(review)
    assert (recs[2].rating, recs[3].rating) == ("green", "green")
    assert recs[3].rating_rationale == "Meanwhile: done."
    # The typed change is kept on the new version: saving again applies it.
    assert "Stalled.</textarea>" in page
    assert f'name="r{rec3.pk}-version" value="{recs[3].version}"' in page
    again = manager_client.post(
        page_url(review), post_data(manager_client, review, {3: ("red", "Stalled.")})
    )
    assert again.status_code == 302
    assert Recommendation.objects.get(pk=rec3.pk).rating == "red"


def test_only_business_managers_rate_here(review, client_a):
    assert client_a.get(page_url(review)).status_code == 403


# --- The single rating form -----------------------------------------------------------


def test_the_reason_is_written_for_this_change_with_the_old_one_shown(review, manager_client):
    rec = review.recommendations.get(number=2)
    url = reverse("recommendations:rating_change", args=[rec.pk])
    page = manager_client.get(url).content.decode()
    assert "Why it has its rating now" in page and "Invented reason 2." in page
    assert re.search(r'name="rating_rationale"[^>]*>\s*</textarea>', page)  # empty, not pre-filled
    kept = manager_client.post(
        url, {"version": rec.version, "rating": "red", "rating_rationale": "Invented reason 2."}
    )
    assert kept.status_code == 400
    assert "Write why the recommendation has this rating now." in kept.content.decode()
    rec.refresh_from_db()
    assert rec.rating == "amber"


def test_after_a_refused_save_the_page_says_what_is_saved(review, manager_client):
    rec = review.recommendations.get(number=2)
    url = reverse("recommendations:rating_change", args=[rec.pk])
    refused = manager_client.post(
        url, {"version": rec.version, "rating": "green", "rating_rationale": ""}
    )
    assert refused.status_code == 400
    now = re.search(r"Now: <strong[^>]*>([^<]+)</strong>", refused.content.decode()).group(1)
    assert now == "Amber"  # what is saved, not what was typed


def test_after_a_conflict_the_banner_and_the_page_agree(review, manager_client):
    rec = review.recommendations.get(number=2)
    url = reverse("recommendations:rating_change", args=[rec.pk])
    drawn_version = rec.version
    other = factories.make_user("business_manager", username="other-manager")
    with changes_by(other, "Rating changed: meanwhile"):
        rec.rating, rec.rating_rationale = "red", "Meanwhile."
        rec.version += 1
        rec.save()
    response = manager_client.post(
        url, {"version": drawn_version, "rating": "green", "rating_rationale": "Done."}
    )
    assert response.status_code == 409
    page = response.content.decode()
    now = re.search(r"Now: <strong[^>]*>([^<]+)</strong>", page).group(1)
    assert now == "Red"
    assert "Meanwhile." in page.split("Why it has its rating now")[1][:200]
