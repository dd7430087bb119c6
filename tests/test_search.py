"""Search finds what the person may see and nothing else: for every kind
searched, another agency's evidence and progress, a restricted review's
content, and (for executives) evidence content are neither listed nor
counted. On PostgreSQL it is ranked, highlighted, and uses its GIN indexes."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from scr_tracker.reporting import search
from tests import factories

pytestmark = pytest.mark.django_db

WORD = "Zanzibarish"  # an invented word, in every kind of thing searched


@pytest.fixture
def world(agency_a, agency_b, agency_a_user, agency_b_user, manager, executive):
    review = factories.make_review("CSPR Z1", title=f"Invented {WORD} review")
    rec = factories.make_recommendation(
        review, 1, short_title=f"{WORD} practice", text=f"The partnership should audit {WORD}."
    )
    action_a = factories.make_action(
        recommendation=rec, agency=agency_a, description=f"A's {WORD} work"
    )
    action_b = factories.make_action(
        recommendation=rec, agency=agency_b, description=f"B's {WORD} work"
    )
    factories.make_submission(action_a, agency_a_user, summary=f"A audited {WORD} cases.")
    factories.make_submission(action_b, agency_b_user, summary=f"B audited {WORD} cases.")
    factories.make_progress(action_a, agency_a_user, text=f"A booked {WORD} training.")
    factories.make_progress(action_b, agency_b_user, text=f"B booked {WORD} training.")
    hidden = factories.make_review("DHR H1", title=f"Hidden {WORD} review", is_restricted=True)
    hidden_rec = factories.make_recommendation(hidden, 1, short_title=f"Hidden {WORD}")
    factories.make_submission(
        factories.make_action(recommendation=hidden_rec, agency=agency_a),
        agency_a_user,
        summary=f"Hidden {WORD} evidence.",
    )
    return {"review": review, "hidden": hidden}


def found(user, words=WORD):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("search"), {"q": words})
    assert response.status_code == 200
    groups = {g["key"]: g for g in response.context["groups"]}
    return {
        key: (group["count"], [r["title"] for r in group["results"]])
        for key, group in groups.items()
    }, response.content.decode()


def test_agency_b_never_finds_agency_as_evidence_or_progress_not_even_as_a_count(
    world, agency_b_user
):
    results, page = found(agency_b_user)
    assert results["evidence"] == (1, ["CSPR Z1 recommendation 1: evidence from Agency B (test)"])
    assert results["progress"] == (
        1,
        ["CSPR Z1 recommendation 1: progress update from Agency B (test)"],
    )
    assert "A audited" not in page and "A booked" not in page
    # Reviews, recommendations and actions: as the recommendation page shows them.
    assert results["review"][0] == 1 and results["recommendation"][0] == 1
    assert results["action"][0] == 2


def test_a_restricted_review_is_found_only_by_those_granted_it(world, manager, agency_a_user):
    results, page = found(manager)
    assert results["review"] == (1, [f"CSPR Z1: Invented {WORD} review"])
    assert "Hidden" not in page
    assert results["evidence"][0] == 2  # A's and B's, not the hidden review's
    factories.make_restricted_access(world["hidden"], manager)
    results, page = found(manager)
    assert results["review"][0] == 2 and results["evidence"][0] == 3
    results, page = found(agency_a_user)  # not granted
    assert results["evidence"] == (1, ["CSPR Z1 recommendation 1: evidence from Agency A (test)"])
    assert "Hidden" not in page


def test_executives_do_not_search_evidence_content(world, executive):
    results, page = found(executive)
    assert "evidence" not in results
    assert "audited" not in page
    assert results["progress"][0] == 2


def test_matches_are_highlighted_and_the_extract_escaped(world, manager):
    factories.make_recommendation(
        world["review"], 2, short_title="Escaping", text=f"<script>x</script> {WORD} 3 < 5 & more"
    )
    results, page = found(manager)
    assert re.search(rf"<mark>{WORD}</mark>", page, re.IGNORECASE)
    assert "<script>x" not in page  # (PostgreSQL drops tags; the rest is escaped here)
    assert "3 &lt; 5 &amp; more" in page


def test_an_identifier_is_never_searched_for_nor_shown_back(world, manager):
    client = Client()
    client.force_login(manager)
    response = client.get(reverse("search"), {"q": "WS1 1TP"})
    assert response.status_code == 400
    assert "WS1 1TP" not in response.content.decode()
    assert response.context["groups"] == []


def test_the_plain_search_finds_the_same_within_scope(world, agency_b_user, monkeypatch):
    """SQLite's fallback (icontains), run here: the same scoping."""
    monkeypatch.setattr(search, "_on_postgresql", lambda: False)
    results, page = found(agency_b_user, WORD.lower())
    assert results["evidence"][0] == 1 and results["progress"][0] == 1
    assert f"<mark>{WORD}</mark>" in page


@pytest.mark.postgres_only
def test_each_search_uses_its_gin_index(world, manager):
    from django.contrib.postgres.search import SearchQuery

    for kind in search.KINDS:
        rows = search.scoped(kind, manager).model.objects.annotate(found=kind.vector())
        query = rows.filter(found=SearchQuery(WORD, config="english", search_type="websearch"))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = query.explain()
        assert f"search_{kind.key}_idx" in plan, (kind.key, plan)


@pytest.mark.postgres_only
def test_a_word_in_many_rows_ranks_only_the_newest_and_says_so(world, manager, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES", 2)
    for number in range(2, 5):
        factories.make_recommendation(
            world["review"], number, short_title=f"Later {number}", text=f"{WORD} again."
        )
    results, page = found(manager)
    count, titles = results["recommendation"]
    assert count == 4  # every match is counted
    assert sorted(t.split(": ")[1] for t in titles) == ["Later 3", "Later 4"]  # the newest two
    assert "Recommendations (4: the best of the newest 2 shown; add words to narrow it)" in (
        re.sub(r"\s+", " ", page)
    )
