"""A second review comes in through the browser, not only by import: a
business manager adds it (facts and publication decision, never the report),
adds its recommendations by hand and records the partnership's response to
each; every change is guarded, versioned and in the history."""

import pytest
from django.urls import reverse

from recommendations.models import Recommendation, Review
from tests import snapshot

pytestmark = pytest.mark.django_db

REVIEW = {
    "reference": "CSPR Q2",
    "title": "Invented practice review of a family",
    "kind": "cspr",
    "completed_year": "2025",
    "period_from_year": "2020",
    "period_to_year": "2024",
    "publication": "not_published",
    "publication_reason": "The partnership decided not to publish, to protect the children.",
}


def test_a_review_is_added_with_its_recommendations_and_responses(w6, manager_client, manager):
    added = manager_client.post(reverse("recommendations:review_create"), REVIEW)
    assert added.status_code == 302
    review = Review.objects.get(reference="CSPR Q2")
    assert review.history.get().history_change_reason == "Review added"
    assert review.history.get().history_user == manager

    url = reverse("recommendations:recommendation_add", args=[review.pk])
    assert 'value="1"' in manager_client.get(url).content.decode()  # the next number
    made = manager_client.post(
        url,
        {
            "number": "1",
            "short_title": "Invented supervision audit",
            "text": "The partnership should audit supervision of neglect cases yearly.",
            "response": "accepted_in_part",
            "response_reason": "Audits every two years, as resources allow.",
        },
    )
    assert made.status_code == 302
    rec = review.recommendations.get()
    assert (rec.response, rec.response_reason) == (
        "accepted_in_part",
        "Audits every two years, as resources allow.",
    )
    assert rec.history.get().history_change_reason == "Recommendation added"
    page = manager_client.get(reverse("recommendations:review_detail", args=[review.pk]))
    assert "Accepted in part: Audits every two years" in page.content.decode()

    # The response changes later, as a versioned edit with its history.
    changed = manager_client.post(
        reverse("recommendations:response_change", args=[rec.pk]),
        {"version": rec.version, "response": "accepted", "response_reason": ""},
    )
    assert changed.status_code == 302
    rec.refresh_from_db()
    assert rec.response == "accepted" and rec.version == 2
    assert rec.history.first().history_change_reason == "Response recorded: Accepted"
    # The dashboard shows both reviews.
    board = manager_client.get(reverse("reporting:dashboard")).content.decode()
    assert "SCR W6" in board and "CSPR Q2" in board


def test_a_response_other_than_accepted_needs_its_reason(w6, manager_client):
    rec = w6.recommendations.get(number=1)
    before = snapshot.take()
    refused = manager_client.post(
        reverse("recommendations:response_change", args=[rec.pk]),
        {"version": rec.version, "response": "not_accepted", "response_reason": ""},
    )
    assert refused.status_code == 400
    assert "Say why the recommendation was not accepted." in refused.content.decode()
    snapshot.assert_unchanged(before)


def test_an_unpublished_review_needs_its_reason_and_nothing_identifying_is_kept(w6, manager_client):
    before = snapshot.take()
    no_reason = manager_client.post(
        reverse("recommendations:review_create"), {**REVIEW, "publication_reason": ""}
    )
    assert no_reason.status_code == 400
    assert "Say why the review was not published." in no_reason.content.decode()
    identifying = manager_client.post(
        reverse("recommendations:review_create"),
        {**REVIEW, "publication_reason": "Not published: the child at WS1 1TP could be found."},
    )
    assert identifying.status_code == 400
    assert "WS1 1TP" not in identifying.content.decode()
    snapshot.assert_unchanged(before)


def test_a_number_already_used_in_the_review_is_refused(w6, manager_client):
    refused = manager_client.post(
        reverse("recommendations:recommendation_add", args=[w6.pk]),
        {"number": "3", "short_title": "Again", "text": "Invented.", "response": "accepted"},
    )
    assert refused.status_code == 400
    assert "already has a recommendation with that number" in refused.content.decode()
    assert w6.recommendations.filter(number=3).count() == 1


def test_a_review_changed_by_someone_else_meanwhile_is_a_conflict(w6, manager_client):
    url = reverse("recommendations:review_edit", args=[w6.pk])
    data = {
        "version": w6.version,
        "reference": w6.reference,
        "title": "A new title",
        "kind": w6.kind,
        "completed_year": w6.completed_year,
        "period_from_year": w6.period_from_year,
        "period_to_year": w6.period_to_year,
        "publication": w6.publication,
        "publication_reason": w6.publication_reason,
    }
    Review.objects.filter(pk=w6.pk).update(version=w6.version + 1)
    assert manager_client.post(url, data).status_code == 409
    assert Review.objects.get(pk=w6.pk).title == w6.title
    data["version"] = w6.version + 1
    assert manager_client.post(url, data).status_code == 302
    assert Review.objects.get(pk=w6.pk).title == "A new title"
    assert Recommendation.objects.filter(review=w6).count() == 11


def test_with_two_reviews_every_page_of_a_recommendation_names_its_review(w6, manager_client):
    """Two recommendations numbered 1: each page's title and caption say
    which review's it is."""
    from tests import factories
    from tests.html_cells import text

    other = factories.make_recommendation(factories.make_review("CSPR N2"), 1)
    for rec in (w6.recommendations.get(number=1), other):
        named = f"{rec.review.reference} recommendation 1"
        for route in ["rating_change", "target_date_change", "sign_off", "recommendation_detail"]:
            page = manager_client.get(reverse(f"recommendations:{route}", args=[rec.pk]))
            html = page.content.decode()
            title = html.split("<title>")[1].split("</title>")[0]
            assert named in title, (route, title)
            caption = html.split('class="govuk-caption-l">')[1].split("</span>")[0]
            assert text(caption).startswith(rec.review.reference), (route, caption)
