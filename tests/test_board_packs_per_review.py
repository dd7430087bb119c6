"""A board pack per review, or several reviews in one pack: chosen when it is
frozen; one pack per review and board date; headings name the reviews shown."""

import datetime

import pytest
from django.urls import reverse

from scr_tracker.reporting.models import BoardPack, BoardPackReview
from tests import factories, snapshot
from tests.html_cells import rows_by, text

BOARD_DAY = datetime.date(2027, 3, 4)


@pytest.fixture
def second_review(w6):
    review = factories.make_review("CSPR Q2", title="Invented second review")
    for number in (1, 2, 3):
        factories.make_recommendation(review, number, short_title=f"Invented Q2 item {number}")
    return review


def _freeze(client, reviews, title="Invented board", board_date=BOARD_DAY):
    return client.post(
        reverse("reporting:board_packs"),
        {
            "title": title,
            "board_date_day": board_date.day,
            "board_date_month": board_date.month,
            "board_date_year": board_date.year,
            "reviews": [review.pk for review in reviews],
        },
    )


def test_a_second_review_gets_its_own_pack(manager_client, w6, second_review):
    response = _freeze(manager_client, [second_review])
    assert response.status_code == 302
    pack = BoardPack.objects.get()
    assert list(pack.reviews.all()) == [second_review]
    html = manager_client.get(response.headers["Location"]).content.decode()
    frozen = rows_by(html, "data-recommendation")
    assert sorted(frozen) == sorted(str(r.pk) for r in second_review.recommendations.all())
    page = text(html)
    assert "CSPR Q2" in page
    assert "W6" not in page
    assert "Where every recommendation of CSPR Q2 stood" in page


def test_board_dates_are_unique_per_review_not_across_reviews(manager_client, w6, second_review):
    assert _freeze(manager_client, [w6]).status_code == 302
    assert _freeze(manager_client, [second_review]).status_code == 302  # same date, other review
    before = snapshot.take()
    response = _freeze(manager_client, [second_review, w6], title="Again")
    assert response.status_code == 400
    message = "CSPR Q2 and SCR W6 already have board packs for that date."
    assert message in text(response.content.decode())
    snapshot.assert_unchanged(before)
    assert BoardPackReview.objects.count() == 2


def test_several_reviews_in_one_pack(manager_client, w6, second_review, manager):
    response = _freeze(manager_client, [w6, second_review], title="Joint board")
    assert response.status_code == 302
    pack = BoardPack.objects.get()
    html = manager_client.get(reverse("reporting:board_pack", args=[pack.pk])).content.decode()
    page = text(html)
    assert "CSPR Q2 and SCR W6" in page
    assert "Where every recommendation of CSPR Q2 stood" in page
    assert "Where every recommendation of SCR W6 stood" in page
    assert len(rows_by(html, "data-recommendation")) == 11 + 3
    # The next pack of one of them compares with the joint one.
    later = factories.make_board_pack(w6, manager, BOARD_DAY + datetime.timedelta(30), "Later")
    later_page = manager_client.get(reverse("reporting:board_pack", args=[later.pk]))
    assert later_page.context["before"] == pack


def test_freezing_needs_a_review(manager_client, w6):
    before = snapshot.take()
    response = _freeze(manager_client, [])
    assert response.status_code == 400
    assert "Choose at least one review for the pack." in text(response.content.decode())
    snapshot.assert_unchanged(before)


def test_the_dashboard_names_the_review_and_summarises_each(manager_client, w6, second_review):
    page = manager_client.get(reverse("reporting:dashboard"))
    shown = text(page.content.decode())
    assert "Where the recommendations of all reviews stand" in shown
    summaries = {s.reference: s for s in page.context["summaries"]}
    assert {ref: s.total for ref, s in summaries.items()} == {"CSPR Q2": 3, "SCR W6": 11}
    chosen = manager_client.get(reverse("reporting:dashboard"), {"review": second_review.pk})
    assert "Where the recommendations of CSPR Q2 stand" in text(chosen.content.decode())
    assert chosen.context["page"].paginator.count == 3


def test_the_public_summary_is_one_review_a_page_at_a_time(manager_client, w6, second_review):
    for number in range(4, 64):
        factories.make_recommendation(second_review, number, text=f"Invented text {number}.")
    url = reverse("reporting:public_summary")
    listing = text(manager_client.get(url).content.decode())
    assert "CSPR Q2: Invented second review (63 recommendations)" in listing
    assert "Recommendation 1" not in listing  # a list of reviews, not every text
    first = text(manager_client.get(url, {"review": second_review.pk}).content.decode())
    assert "Recommendations 1 to 50 of 63." in first
    assert "Invented text 50." in first and "Invented text 51." not in first
    assert "SCR W6" not in first
    second = text(manager_client.get(url, {"review": second_review.pk, "page": 2}).content.decode())
    assert "Invented text 63." in second and "Invented text 50." not in second
    download = manager_client.get(url, {"review": second_review.pk, "download": 1})
    assert download.streaming
    whole = text(download.getvalue().decode())
    assert all(f"Recommendation {n}" in whole for n in range(1, 64))
    assert "SCR W6" not in whole
    everything = text(manager_client.get(url, {"download": 1}).getvalue().decode())
    assert "SCR W6: " in everything and "CSPR Q2: " in everything
