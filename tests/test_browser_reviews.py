"""A second review in real Chromium: a business manager adds a theme and the
review, adds three recommendations (one a near-repeat of a W6
recommendation, given the theme, which is suggested and confirmed), records
the partnership's responses and an intended outcome, and the dashboard shows
both reviews and the theme with its repeat; the confirmed repeat shows on the
W6 recommendation's page."""

import pytest
from django.urls import reverse

from recommendations.models import Repeat, Review
from tests.browser import axe_violations, describe, screenshot
from tests.html_cells import rows_by

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDED = [
    (
        "Invented escalation training",
        "Every agency should train its staff in the escalation policy.",
        "Accepted",
    ),
    (
        "Invented interpreter report",
        "The partnership should report yearly on interpreters in conferences.",
        "Not accepted",
    ),
]


def test_a_second_review_with_a_confirmed_repeat(w6, open_as, manager):
    w6_rec = w6.recommendations.get(number=1)
    page = open_as(manager)
    page.goto(reverse("manage"))
    page.get_by_role("link", name="Themes", exact=True).click()
    page.get_by_role("link", name="Add a theme").click()
    page.get_by_label("Name").fill("Supervision")
    page.get_by_role("button", name="Add the theme").click()
    page.get_by_text("The theme “Supervision” was added.").wait_for()
    page.goto(reverse("manage"))
    page.get_by_role("link", name="Reviews", exact=True).click()
    page.get_by_role("link", name="Add a review").click()
    page.get_by_label("Reference").fill("CSPR Q2")
    page.get_by_label("Title").fill("Invented practice review")
    page.get_by_label("Child safeguarding practice review").check()
    page.get_by_label("Year the review was completed").fill("2025")
    page.get_by_label("Practice examined from (year)").fill("2020")
    page.get_by_label("Practice examined to (year)").fill("2024")
    page.get_by_label("Not published", exact=True).check()
    page.get_by_label("Why it was or was not published").fill("To protect the family's privacy.")
    page.get_by_role("button", name="Add the review").click()
    page.get_by_text("CSPR Q2 was added.").wait_for()

    # A near-repeat of W6's first recommendation: it is suggested, and confirmed.
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Short title").fill("Supervision again")
    page.get_by_label("The published recommendation, word for word").fill(w6_rec.text[:400])
    page.get_by_label("Accepted in part", exact=True).check()
    page.get_by_label("Why it was not fully accepted").fill("Resources allow a yearly audit only.")
    page.get_by_label("Supervision", exact=True).check()
    page.get_by_role("button", name="Add the recommendation").click()
    suggestion = page.locator(f"#suggested-{w6_rec.pk}")
    suggestion.wait_for()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    screenshot(page, "repeat-suggested")
    suggestion.get_by_role("button", name="It repeats this").click()
    page.get_by_text("Recorded:").wait_for()
    assert Repeat.objects.get().earlier == w6_rec

    review = Review.objects.get(reference="CSPR Q2")
    for title, text, response in ADDED:
        page.goto(reverse("recommendations:recommendation_add", args=[review.pk]))
        page.get_by_label("Short title").fill(title)
        page.get_by_label("The published recommendation, word for word").fill(text)
        page.get_by_label(response, exact=True).check()
        if response != "Accepted":
            page.get_by_label("Why it was not fully accepted").fill("Another route was chosen.")
        page.get_by_role("button", name="Add the recommendation").click()
        page.get_by_role("heading", name="Does it repeat an earlier recommendation?").wait_for()

    # Its intended outcome, apart from the rating.
    later = review.recommendations.get(short_title="Supervision again")
    page.goto(reverse("recommendations:recommendation_detail", args=[later.pk]))
    assert page.locator("#themes").inner_text().strip() == "Supervision"
    page.get_by_role("link", name="Change the intended outcome").click()
    page.get_by_label("Intended outcome").fill("Practitioners reflect on neglect cases monthly.")
    page.get_by_label("How it will be measured").fill("A yearly audit of 30 supervision records.")
    page.get_by_role("button", name="Save the outcome").click()
    page.get_by_text("The intended outcome was recorded.").wait_for()
    assert "Measured by: A yearly audit of 30 supervision records." in page.content()

    page.goto(reverse("recommendations:review_detail", args=[review.pk]))
    responses = page.locator("#responses").inner_text()
    assert "Accepted in part: Resources allow a yearly audit only." in responses
    assert "Not accepted: Another route was chosen." in responses
    page.goto(reverse("reporting:dashboard"))
    reviews = page.locator("#reviews").inner_text()
    assert "SCR W6" in reviews and "CSPR Q2" in reviews
    screenshot(page, "dashboard-two-reviews")
    by_theme = rows_by(page.content(), "data-theme")
    # theme: recommendations, Complete, overdue, repeat an earlier one
    assert by_theme == {"Supervision": ["Supervision", "1", "0", "0", "1"]}
    page.goto(reverse("recommendations:recommendation_detail", args=[w6_rec.pk]))
    assert "Supervision again" in page.locator("#repeats ~ ul").first.inner_text()
