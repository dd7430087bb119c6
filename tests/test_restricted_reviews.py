"""A restricted review is invisible to everyone not given access to it,
whatever their role: every route that names something of it answers 404 (or
refuses before looking), no page, export, count or download shows it, and the
people given access see it as usual. Swept over every route of the matrix."""

import pytest
from django.test import Client
from django.urls import reverse

from recommendations.models import Recommendation
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from tests import factories
from tests.permission_matrix import all_routes, row_for

pytestmark = pytest.mark.django_db

SENTINEL = "ZZ-RESTRICTED-SENTINEL-4417"
REFERENCE = "DHR ZZ9"


@pytest.fixture
def world(agency_a, manager):
    open_review = factories.make_review("TEST OPEN")
    open_rec = factories.make_recommendation(review=open_review, number=1)
    factories.make_action(recommendation=open_rec, agency=agency_a)
    review = factories.make_review(
        REFERENCE, title=f"Invented restricted review {SENTINEL}", is_restricted=True
    )
    rec = factories.make_recommendation(
        review=review, number=1, short_title=f"Restricted {SENTINEL}", text=f"Do {SENTINEL}."
    )
    action = factories.make_action(
        recommendation=rec, agency=agency_a, description=f"Act {SENTINEL}"
    )
    officer = factories.make_user(AGENCY_USER, agency=agency_a, username="officer-ungranted")
    submission = factories.make_submission(action, officer, summary=f"Summary {SENTINEL}")
    upload = factories.make_file(submission, content=SENTINEL.encode(), name=f"{SENTINEL}.txt")
    held = factories.make_file(
        factories.make_submission(action, officer, summary=f"Held {SENTINEL}"),
        name=f"held-{SENTINEL}.txt",
        state="held",
        held_reason="Page 1 has no text layer.",
    )
    people = {
        "manager": manager,
        "granted_manager": factories.make_user(BUSINESS_MANAGER, username="granted-manager"),
        "officer": officer,
        "granted_officer": factories.make_user(AGENCY_USER, agency=agency_a, username="granted"),
        "executive": factories.make_user(EXECUTIVE, username="executive-ungranted"),
    }
    for name in ("granted_manager", "granted_officer"):
        factories.make_restricted_access(review, people[name])
    grant = factories.make_lead(rec, people["granted_officer"])
    return {
        "people": people,
        "open_rec": open_rec,
        "recommendation": rec.pk,
        "review": review.pk,
        "action": action.pk,
        "submission": submission.pk,
        "file": upload.pk,
        "held_file": held.pk,
        "request": factories.make_request(action, people["granted_manager"]).pk,
        "snapshot": factories.make_board_pack(review, people["granted_manager"]).pk,
        "grant": ("lead", grant.pk),
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def body_of(response):
    return b"".join(response) if response.streaming else response.content


# Routes that name one object of the review: to someone not given access, 404
# or a refusal made before looking (403; 405 for a method the route refuses).
OBJECT_TARGETS = {
    "recommendation", "review", "action", "submission", "file", "held_file", "request",
    "snapshot", "grant",
}  # fmt: skip
ROUTES = sorted({name for name, _ in all_routes() if not name.startswith("admin:")})
OBJECT_ROUTES = [name for name in ROUTES if row_for(name)[0] in OBJECT_TARGETS]
LIST_ROUTES = [name for name in ROUTES if row_for(name)[0] is None]


def url_of(name, world):
    target = row_for(name)[0]
    if target is None:
        return reverse(name)
    args = world[target]
    return reverse(name, args=list(args) if isinstance(args, tuple) else [args])


@pytest.mark.parametrize("role", ["manager", "officer", "executive"])
def test_nothing_of_a_restricted_review_is_reached_without_access(world, role):
    client = client_for(world["people"][role])
    wrong = []
    for name in OBJECT_ROUTES:
        url = url_of(name, world)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code not in (403, 404, 405) or SENTINEL.encode() in body_of(
                response
            ):
                wrong.append(f"{method.upper()} {name}: {response.status_code}")
    assert not wrong


@pytest.mark.parametrize("role", ["manager", "officer", "executive"])
def test_no_list_export_or_count_shows_a_restricted_review(world, role):
    client = client_for(world["people"][role])
    shown = []
    for name in LIST_ROUTES:
        response = client.get(reverse(name), follow=True)
        if SENTINEL.encode() in body_of(response) or REFERENCE.encode() in body_of(response):
            shown.append(name)
    assert not shown
    if role != "officer":
        dashboard = client.get(reverse("reporting:dashboard"))
        visible = Recommendation.objects.filter(review__is_restricted=False).count()
        assert dashboard.context["page"].paginator.count == visible


def test_people_given_access_see_it_as_usual(world):
    manager = client_for(world["people"]["granted_manager"])
    for name in (
        "recommendations:recommendation_detail",
        "evidence:submission_detail",
        "evidence:file_download",
        "evidence:file_decision",
        "reporting:board_pack",
        "recommendations:review_access",
        "evidence:retention_edit",
    ):
        response = manager.get(url_of(name, world))
        body_of(response)
        if getattr(response, "file_to_stream", None) is not None:
            response.file_to_stream.close()
        assert response.status_code == 200, name
    dashboard = manager.get(reverse("reporting:dashboard"))
    assert REFERENCE in dashboard.content.decode()
    assert dashboard.context["page"].paginator.count == Recommendation.objects.count()
    officer = client_for(world["people"]["granted_officer"])
    assert officer.get(url_of("recommendations:recommendation_detail", world)).status_code == 200
    assert officer.get(url_of("evidence:submission_detail", world)).status_code == 200
    assert REFERENCE in officer.get(reverse("recommendations:my_actions")).content.decode()


def test_restricting_a_review_gives_the_manager_access_in_the_same_change(manager, manager_client):
    review = factories.make_review("TEST R-OPEN")
    url = reverse("recommendations:review_restriction", args=[review.pk])
    response = manager_client.post(url, {"is_restricted": "True", "reason": "Criminal trial"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_restricted
    assert (
        manager_client.get(reverse("recommendations:review_access", args=[review.pk])).status_code
        == 200
    )
    latest = review.history.latest()
    assert (latest.is_restricted, latest.history_user, latest.history_change_reason) == (
        True,
        manager,
        "Criminal trial",
    )
    grant = review.grants.get()
    assert grant.user == manager
    assert grant.history.get().history_change_reason == "Restricted the review: Criminal trial"


def test_a_restriction_without_a_reason_changes_nothing(manager_client):
    from tests import snapshot

    review = factories.make_review("TEST R-OPEN")
    before = snapshot.take()
    url = reverse("recommendations:review_restriction", args=[review.pk])
    response = manager_client.post(url, {"is_restricted": "True"})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    snapshot.assert_unchanged(before)


def test_the_signed_in_person_comes_with_the_reviews_hidden_from_them(manager_client, manager):
    """In the same query as the person (no query of its own): when none is
    hidden, the scoping querysets add no filter at all."""
    page = reverse("reporting:dashboard")
    assert manager_client.get(page).wsgi_request.user.hidden_review_ids == []
    hidden = factories.make_review("TEST HIDDEN", is_restricted=True)
    assert manager_client.get(page).wsgi_request.user.hidden_review_ids == [hidden.pk]
    factories.make_restricted_access(hidden, manager)
    assert manager_client.get(page).wsgi_request.user.hidden_review_ids == []
