"""Every route × every role × GET and POST gives the status in the matrix.

Every denial leaves the data, history and stored files unchanged, and no
response to agency A or to an executive contains agency B's sentinel text.
"""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from tests import factories, snapshot
from tests.permission_matrix import MATRIX, ROLES, row_for

SENTINEL = "ZZ-AGENCY-B-SENTINEL-7731"
SUCCESS = {200, 302}
# Admin URL arguments, by name; the admin answers non-staff before using them.
ADMIN_KWARGS = {
    "object_id": "1",
    "object_pk": "1",
    "id": "1",
    "app_label": "accounts",
    "version_id": "1",
    "content_type_id": "1",
    "user_id": "1",
    "group_id": "1",
    "uidb64": "MQ",
    "token": "x",
}


def all_routes(resolver=None, prefix=""):
    """(route name, pattern) for every named URL pattern, admin included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from all_routes(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}", entry.pattern


ROUTES = sorted({name for name, _ in all_routes()})


def test_every_route_has_a_row():
    missing = [name for name in ROUTES if row_for(name) is None]
    assert not missing, f"add these routes to tests/permission_matrix.py: {missing}"


def test_every_row_names_a_real_route():
    names = set(ROUTES)
    stale = [key for key in MATRIX if not key.endswith("*") and key not in names]
    assert not stale


@pytest.fixture
def world(db):
    """Agency B's recommendation, action, submission and file (with sentinels),
    and agency A with an action on a different recommendation."""
    agency_a = factories.make_agency("Agency A (test)", short_name="A")
    agency_b = factories.make_agency("Agency B (test)", short_name="B")
    review = factories.make_review()
    rec_b = factories.make_recommendation(review=review, number=1)
    rec_a = factories.make_recommendation(review=review, number=2)
    factories.make_action(recommendation=rec_a, agency=agency_a)
    action_b = factories.make_action(recommendation=rec_b, agency=agency_b)
    users = {
        "manager": factories.make_user(BUSINESS_MANAGER, username="manager"),
        "agency_a": factories.make_user(AGENCY_USER, agency=agency_a, username="agency-a"),
        "agency_b": factories.make_user(AGENCY_USER, agency=agency_b, username="agency-b"),
        "executive": factories.make_user(EXECUTIVE, username="executive"),
        "inactive": factories.make_user(BUSINESS_MANAGER, username="gone"),
    }
    submission = factories.make_submission(
        action_b,
        users["agency_b"],
        summary=f"Summary {SENTINEL}",
        impact=f"Impact {SENTINEL}",
    )
    upload = factories.make_file(submission, content=SENTINEL.encode(), name=f"{SENTINEL}.txt")
    held = factories.make_file(
        factories.make_submission(action_b, users["agency_b"], summary=f"Held {SENTINEL}"),
        content=f"scan {SENTINEL}".encode(),
        name=f"held {SENTINEL}.txt",
        state="held",
        held_reason="Page 1 has no text layer (it may be a scan).",
    )
    clients = {"anon": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    users["inactive"].is_active = False
    users["inactive"].save()
    return {
        "clients": clients,
        "recommendation": rec_b.pk,
        "action": action_b.pk,
        "request": factories.make_request(action_b, users["manager"]).pk,
        "snapshot": factories.make_snapshot(review, users["manager"]).pk,
        "rating": factories.make_rating_definition("red").rating,
        "submission": submission.pk,
        "file": upload.pk,
        "held_file": held.pk,
        "term": factories.make_restricted_term("Invented Alias").pk,
        "document": factories.make_restricted_document("invented words " * 20).pk,
    }


def url_for(name, target, world):
    if target is None:
        return reverse(name)
    if target == "reset":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "not-a-token"})
    if target == "admin":
        pattern = dict(all_routes())[name]
        wanted = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", str(pattern))
        if wanted:
            return reverse(name, kwargs={a or b: ADMIN_KWARGS[a or b] for a, b in wanted})
        # Unnamed groups (simple-history's version view): "1" for each.
        return reverse(name, args=["1"] * str(pattern).count("(["))
    return reverse(name, args=[world[target]])


CASES = [(name, method) for name in ROUTES for method in ("GET", "POST")]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_route_gives_each_role_the_expected_status(world, name, method):
    target, methods = row_for(name)
    expected = methods[method]
    url = url_for(name, target, world)
    for role in ROLES:
        client = world["clients"][role]
        denied = expected[role] not in SUCCESS or role in ("anon", "inactive")
        before = snapshot.take() if denied and method == "POST" else None
        with transaction.atomic():
            response = getattr(client, method.lower())(url)
            status = response.status_code
            body = b"".join(response) if response.streaming else response.content
            if before is not None:
                snapshot.assert_unchanged(before)
            transaction.set_rollback(True)
        assert status == expected[role], f"{method} {url} as {role}"
        if role in ("anon", "agency_a", "executive", "inactive"):
            assert SENTINEL.encode() not in body, f"{method} {url} leaked to {role}"


# AC-01, AC-07 with real bodies: a denied POST carrying every field any form
# takes (naming agency B's objects) changes nothing and gets the same answer.
FULL_BODY = {
    "rating": "green",
    "rating_rationale": "Posted by someone not allowed to.",
    "decision": "accepted",
    "note": "Posted by someone not allowed to.",
    "summary": f"Summary {SENTINEL}",
    "impact": "Impact",
    "term": "Invented Alias",
    "label": "Posted label",
    "change_reason": "Posted reason",
    "state": "withdrawn",
}
DENIED_POSTS = [
    (name, role)
    for name in ROUTES
    for role in ROLES
    if row_for(name)[1]["POST"][role] in (403, 404, 405) or role in ("anon", "inactive")
]


@pytest.mark.parametrize(("name", "role"), DENIED_POSTS, ids=[f"{n}-{r}" for n, r in DENIED_POSTS])
def test_denied_posts_with_data_change_nothing(world, name, role):
    target, methods = row_for(name)
    url = url_for(name, target, world)
    body = {**FULL_BODY, "action": "1", "agency": "1", "submission": str(world["submission"])}
    before = snapshot.take()
    with transaction.atomic():
        response = world["clients"][role].post(url, body)
        snapshot.assert_unchanged(before)
        transaction.set_rollback(True)
    assert response.status_code == methods["POST"][role]
