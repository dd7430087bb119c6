"""Repeats across reviews: a new recommendation is shown the most similar of
other reviews; a business manager confirms or dismisses each; confirmed
repeats show on both pages. The suggestions' precision is measured on a small
labelled set of invented pairs (printed, and held to a floor)."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from recommendations import repeats
from recommendations.models import Recommendation, Repeat
from scr_tracker.audit import system_user
from tests import factories

pytestmark = pytest.mark.django_db

EARLIER = {
    1: "The partnership should ensure that all practitioners receive training on recognising "
    "the signs of neglect in young children.",
    2: "Health visitors and GPs should share information about missed appointments with "
    "children's social care within five working days.",
    3: "The police should review how referrals about children living with domestic abuse are "
    "screened and passed to partners.",
    4: "Schools should record and escalate concerns about persistent absence of pupils known to "
    "children's social care.",
    5: "The local authority should audit the quality of supervision for social workers holding "
    "complex neglect cases.",
    6: "Housing providers should be included in strategy meetings when a family faces eviction.",
}
# New recommendations: (text, the earlier one it repeats, or None).
NEW = [
    (
        "All practitioners should be trained to recognise the signs of neglect in young "
        "children, and the partnership should ensure this.",
        1,
    ),
    (
        "GPs and health visitors should share information on missed health appointments with "
        "children's social care within five days.",
        2,
    ),
    (
        "Police should review how domestic abuse referrals concerning children are screened and "
        "shared with partner agencies.",
        3,
    ),
    (
        "Schools should record persistent absence of pupils known to social care and escalate "
        "the concerns.",
        4,
    ),
    (
        "The quality of supervision for social workers with complex neglect cases should be "
        "audited by the local authority.",
        5,
    ),
    (
        "The partnership should publish an annual report on the use of interpreters in child "
        "protection conferences.",
        None,
    ),
    ("Ambulance crews should be able to reach safeguarding advice by telephone at any hour.", None),
    ("The board should commission an independent review of its website's accessibility.", None),
]


@pytest.fixture
def labelled(db):
    earlier = factories.make_review("SCR E1", title="Invented earlier review")
    later = factories.make_review("CSPR L1", title="Invented later review")
    old = {
        n: factories.make_recommendation(earlier, n, short_title=f"Earlier {n}", text=text)
        for n, text in EARLIER.items()
    }
    new = [
        (factories.make_recommendation(later, i, short_title=f"Later {i}", text=text), pair)
        for i, (text, pair) in enumerate(NEW, start=1)
    ]
    return old, new


@pytest.mark.parametrize("method", ["database", "fallback"])
def test_suggestions_are_precise_on_a_labelled_set(labelled, manager, capsys, method, monkeypatch):
    """The database's measure (trigrams on PostgreSQL), and the plain word
    overlap SQLite uses, run here too."""
    if method == "fallback":
        monkeypatch.setattr(repeats, "exact", lambda: False)
    old, new = labelled
    suggested = right = 0
    found_pairs = 0
    for rec, pair in new:
        best = repeats.suggestions(rec, manager, limit=1)
        if best:
            suggested += 1
            right += pair is not None and best[0][0] == old[pair]
        found_pairs += pair is not None and bool(best) and best[0][0] == old[pair]
    pairs = sum(1 for _, pair in new if pair is not None)
    precision = right / suggested if suggested else 0
    recall = found_pairs / pairs
    method = "trigram (PostgreSQL)" if repeats.exact() else "word overlap (SQLite)"
    with capsys.disabled():
        print(
            f"\nrepeats, {method}: precision {precision:.2f} ({right}/{suggested}), "
            f"recall {recall:.2f} ({found_pairs}/{pairs})"
        )
    assert precision >= 0.8
    assert recall >= 0.8


@pytest.fixture
def analysed(labelled, monkeypatch):
    """The labelled set among 300 unrelated recommendations (invented words),
    with PostgreSQL's statistics gathered: the suggestions compare only
    recommendations sharing a distinctive word."""
    import random

    rng = random.Random(3)  # noqa: S311 (invented words)
    filler = factories.make_review("CSPR F1", title="Invented unrelated review")
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=7)) for _ in range(600)]
    Recommendation.objects.bulk_create(
        Recommendation(
            review=filler,
            number=n,
            short_title=f"Unrelated {n}",
            text="The partnership should ensure that " + " ".join(rng.sample(words, 12)),
            updated_by=system_user(),
        )
        for n in range(1, 301)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Recommendation._meta.db_table}")
    monkeypatch.setattr(repeats, "MIN_ROWS", 100)
    return labelled


@pytest.mark.postgres_only
def test_distinctive_words_find_what_comparing_with_every_one_finds(analysed, manager):
    old, new = analysed
    for rec, pair in new:
        words = repeats.distinctive_words(rec.text)
        assert words, rec.text  # the quick way is taken
        assert not {"partnership", "ensur", "should"} & set(words)
        quick = repeats.suggestions(rec, manager)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(repeats, "distinctive_words", lambda text: [])
            every = repeats.suggestions(rec, manager)
        assert [(o.pk, round(s, 4)) for o, s in quick] == [(o.pk, round(s, 4)) for o, s in every]
        assert bool(quick) == (pair is not None)


@pytest.mark.postgres_only
def test_without_statistics_every_recommendation_is_compared(labelled):
    old, new = labelled
    assert repeats.distinctive_words(new[0][0].text) == []  # fewer than MIN_ROWS


def test_a_manager_confirms_a_repeat_and_both_pages_show_it(labelled, manager, manager_client):
    old, new = labelled
    rec = new[0][0]
    url = reverse("recommendations:repeat_check", args=[rec.pk])
    page = manager_client.get(url).content.decode()
    assert f'id="suggested-{old[1].pk}"' in page
    response = manager_client.post(url, {"earlier": old[1].pk, "decision": "confirmed"})
    assert response.status_code == 302
    judged = Repeat.objects.get()
    assert (judged.recommendation, judged.earlier, judged.decision) == (rec, old[1], "confirmed")
    assert judged.history.get().history_change_reason == "Confirmed as a repeat"
    assert judged.similarity > 0
    for one, other in ((rec, old[1]), (old[1], rec)):
        shown = manager_client.get(
            reverse("recommendations:recommendation_detail", args=[one.pk])
        ).content.decode()
        section = shown.split('id="repeats"')[1].split("</ul>")[0]
        assert f"{other}: {other.short_title}" in section
    # Decided pairs are not suggested again.
    assert f'id="suggested-{old[1].pk}"' not in manager_client.get(url).content.decode()


def test_a_dismissed_suggestion_goes_and_is_listed_as_dismissed(labelled, manager_client):
    old, new = labelled
    rec = new[1][0]
    url = reverse("recommendations:repeat_check", args=[rec.pk])
    manager_client.post(url, {"earlier": old[2].pk, "decision": "dismissed"})
    page = manager_client.get(url).content.decode()
    assert f'id="suggested-{old[2].pk}"' not in page
    assert "Dismissed as not repeats (1)" in page
    shown = manager_client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    assert "No repeat of another review" in shown.content.decode()


def test_adding_a_recommendation_goes_to_its_repeats(labelled, manager_client):
    old, new = labelled
    review = new[0][0].review
    response = manager_client.post(
        reverse("recommendations:recommendation_add", args=[review.pk]),
        {
            "number": "20",
            "short_title": "Neglect training again",
            "text": EARLIER[1].replace("The partnership should ensure that", "Make sure"),
            "response": "accepted",
        },
    )
    added = review.recommendations.get(number=20)
    assert response.url == reverse("recommendations:repeat_check", args=[added.pk])
    page = manager_client.get(response.url).content.decode()
    first = re.search(r'id="suggested-(\d+)"', page).group(1)
    assert first == str(old[1].pk)  # the most similar first
