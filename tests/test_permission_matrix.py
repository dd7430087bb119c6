"""Every route × every role × GET and POST gives the status in the matrix.

A denied request is proven harmless by what it asked the database to do: only
reads, plus the session and access-log writes it is allowed (see
``harmless_statements``). One denied POST per route family is also checked
against a full snapshot of every table and stored file, as the cross-check that
the statement rule itself is sound. No response to agency A, an executive, a
signed-out or a deactivated user contains agency B's sentinel text.

The admin's routes are in the matrix (so the meta-test sees them) and are
exercised by tests/test_admin.py.
"""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from evidence.models import Notification
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from tests import factories, snapshot
from tests.permission_matrix import MATRIX, ROLES, all_routes, row_for

# Every test here runs with the database tests (not after the transactional
# ones, which leave the database empty), so the module's world is built once.
pytestmark = pytest.mark.django_db

SENTINEL = "ZZ-AGENCY-B-SENTINEL-7731"
SUCCESS = {200, 302}


ROUTES = sorted({name for name, _ in all_routes()})
APP_ROUTES = [name for name in ROUTES if not name.startswith("admin:")]


def test_every_route_has_a_row():
    missing = [name for name in ROUTES if row_for(name) is None]
    assert not missing, f"add these routes to tests/permission_matrix.py: {missing}"


def test_every_row_names_a_real_route():
    names = set(ROUTES)
    stale = [key for key in MATRIX if not key.endswith("*") and key not in names]
    assert not stale


# Statements a refused request may issue: reads, savepoints, and the writes it
# is allowed to make (its session's expiry, the access log of a denial).
READ = re.compile(
    r"^\s*\(?(SELECT|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT"
    r"|DECLARE \S+ NO SCROLL CURSOR (WITH(OUT)? HOLD )?FOR SELECT)\b",  # .iterator()
    re.I,
)
ALLOWED_WRITE = re.compile(
    r'^\s*(INSERT INTO|UPDATE|DELETE FROM) "(django_session|evidence_accesslog)"', re.I
)


def harmful(statements):
    """The statements that are neither reads nor allowed writes."""
    return [s for s in statements if not (READ.match(s) or ALLOWED_WRITE.match(s))]


def test_the_statement_rule_catches_writes_and_passes_reads():
    assert harmful(['SELECT "x" FROM "recommendations_recommendation"']) == []
    assert harmful(['UPDATE "django_session" SET "expire_date" = 1']) == []
    assert harmful(['INSERT INTO "evidence_accesslog" ("user_id") VALUES (1)']) == []
    assert harmful(['DECLARE "c1" NO SCROLL CURSOR WITH HOLD FOR SELECT 1']) == []
    assert harmful(["(SELECT 'a', COUNT(*) FROM \"x\") UNION ALL (SELECT 'b', 1)"]) == []  # a union
    writes = [
        'UPDATE "recommendations_recommendation" SET "rating" = \'green\'',
        'INSERT INTO "recommendations_historicalrecommendation" ("id") VALUES (1)',
        'DELETE FROM "evidence_submission" WHERE "id" = 1',
        'INSERT INTO "django_session_copy" ("k") VALUES (1)',
        'DECLARE "c1" NO SCROLL CURSOR FOR UPDATE "x" SET "y" = 1',
    ]
    assert harmful(writes) == writes


def stored_files():
    root = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    return sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*"))


@contextmanager
def proven_harmless(full_snapshot=False):
    """Run a denied request; fail if it wrote anything it may not. Everything
    it did is rolled back afterwards, so the next request sees the same world."""
    files = stored_files()
    before = snapshot.take() if full_snapshot else None
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        yield
        bad = harmful([q["sql"] for q in queries.captured_queries])
        if before is not None:
            snapshot.assert_unchanged(before)
        transaction.set_rollback(True)
    assert not bad, f"a refused request wrote: {bad}"
    assert stored_files() == files, "a refused request changed the stored files"


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, inside a transaction rolled back at its end.

    Agency B's recommendation, action, submission and file (with sentinels),
    and agency A with an action on a different recommendation. Each request a
    test makes runs in its own savepoint, rolled back after it."""
    storage = tmp_path_factory.mktemp("matrix-evidence")
    stores = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "OPTIONS": {**settings.STORAGES["evidence"]["OPTIONS"], "location": str(storage)},
        },
    }
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        override_settings(STORAGES=stores, PASSWORD_HASHERS=hashers),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield _build_world(storage)
        transaction.set_rollback(True)


def _build_world(storage):
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
        "unverified": factories.make_user(BUSINESS_MANAGER, username="half-signed-in"),
        "lead": factories.make_user(AGENCY_USER, agency=agency_a, username="lead-officer"),
    }
    lead_grant = factories.make_lead(rec_b, users["lead"])
    TOTPDevice.objects.create(user=users["unverified"], name="Test app", confirmed=True)
    submission = factories.make_submission(
        action_b, users["agency_b"], summary=f"Summary {SENTINEL}", impact=f"Impact {SENTINEL}"
    )
    upload = factories.make_file(submission, content=SENTINEL.encode(), name=f"{SENTINEL}.txt")
    held = factories.make_file(
        factories.make_submission(action_b, users["agency_b"], summary=f"Held {SENTINEL}"),
        content=f"scan {SENTINEL}".encode(),
        name=f"held {SENTINEL}.txt",
        state="held",
        held_reason="Page 1 has no text layer (it may be a scan).",
    )
    sessions = {}
    for role, user in users.items():
        client = Client()
        if role == "unverified":
            client.force_login_password_only(user)
        else:
            client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    with factories.setup_changes():
        users["inactive"].is_active = False
        users["inactive"].save()
    return {
        "storage": storage,
        "sessions": sessions,
        "recommendation": rec_b.pk,
        "review": review.pk,
        "theme": factories.make_theme_link(rec_b).theme_id,
        "action": action_b.pk,
        "request": factories.make_request(action_b, users["manager"]).pk,
        "snapshot": factories.make_board_pack(review, users["manager"]).pk,
        "rating": factories.make_rating_definition("red").rating,
        "submission": submission.pk,
        "file": upload.pk,
        "held_file": held.pk,
        "person": users["agency_b"].pk,
        "grant": ("lead", lead_grant.pk),
        "agency": agency_b.pk,
        "term": factories.make_restricted_term("Invented Alias").pk,
        "notification": Notification.objects.create(
            recipient=users["agency_b"],
            review=review,
            kind="evidence_accepted",
            subject="Your agency's evidence was accepted",
            body="",
            link=f"/evidence/{submission.pk}/",
        ).pk,
        "document": factories.make_restricted_document("invented words " * 20).pk,
    }


@pytest.fixture
def evidence_storage(matrix_world, settings):
    """This module's files live in the world's own store (overrides conftest's)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "OPTIONS": {
                **settings.STORAGES["evidence"]["OPTIONS"],
                "location": str(matrix_world["storage"]),
            },
        },
    }
    return matrix_world["storage"]


@pytest.fixture
def client_as(matrix_world, db):
    """client_as(role) -> a test client with that role's session (anon: none)."""

    def client_as(role):
        client = Client()
        if role != "anon":
            client.cookies[settings.SESSION_COOKIE_NAME] = matrix_world["sessions"][role]
        return client

    return client_as


def url_for(name, target, world):
    if target is None:
        return reverse(name)
    if target == "reset":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "not-a-token"})
    args = world[target]
    return reverse(name, args=list(args) if isinstance(args, tuple) else [args])


# The routes an unverified person really uses: their 302 is a success.
UNVERIFIED_MAY = {"logout"}


def is_denied(expected_status, role, name=""):
    return (
        expected_status not in SUCCESS
        or role in ("anon", "inactive")
        or (role == "unverified" and expected_status == 302 and name not in UNVERIFIED_MAY)
    )


CASES = [(name, method) for name in APP_ROUTES for method in ("GET", "POST")]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_route_gives_each_role_the_expected_status(matrix_world, client_as, name, method):
    target, methods = row_for(name)
    expected = methods[method]
    url = url_for(name, target, matrix_world)
    for role in ROLES:
        denied = is_denied(expected[role], role, name)
        with proven_harmless() if denied else rolled_back():
            response = getattr(client_as(role), method.lower())(url)
            body = b"".join(response) if response.streaming else response.content
        assert response.status_code == expected[role], f"{method} {url} as {role}"
        if role in ("anon", "agency_a", "executive", "inactive", "unverified", "lead"):
            assert SENTINEL.encode() not in body, f"{method} {url} leaked to {role}"


# AC-01, AC-07 with real bodies: a denied POST carrying every field any form
# takes (naming agency B's objects) writes nothing and gets the same answer.
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
# Refused for want of permission (a 400 is the form's answer to no data: with
# a full body a manager's POST may rightly succeed).
DENIED_POSTS = [
    (name, role)
    for name in APP_ROUTES
    for role in ROLES
    if row_for(name)[1]["POST"][role] in (403, 404, 405)
    or role in ("anon", "inactive")
    or (
        role == "unverified"
        and row_for(name)[1]["POST"][role] == 302
        and name not in UNVERIFIED_MAY
    )
]
# The cross-check: the first denied POST of each route family (URL namespace)
# is also compared with a full snapshot of every table and stored file.
FAMILY_CROSS_CHECKS = {}
for _name, _role in DENIED_POSTS:
    FAMILY_CROSS_CHECKS.setdefault(_name.split(":")[0] if ":" in _name else "", (_name, _role))


@pytest.mark.parametrize(("name", "role"), DENIED_POSTS, ids=[f"{n}-{r}" for n, r in DENIED_POSTS])
def test_denied_posts_with_data_change_nothing(matrix_world, client_as, name, role):
    target, methods = row_for(name)
    url = url_for(name, target, matrix_world)
    body = {
        **FULL_BODY,
        "action": str(matrix_world["action"]),
        "agency": "1",
        "submission": str(matrix_world["submission"]),
    }
    full = (name, role) in FAMILY_CROSS_CHECKS.values()
    with proven_harmless(full_snapshot=full):
        response = client_as(role).post(url, body)
    assert response.status_code == methods["POST"][role]


def test_every_route_family_has_a_full_snapshot_cross_check():
    families = {name.split(":")[0] if ":" in name else "" for name in APP_ROUTES}
    assert set(FAMILY_CROSS_CHECKS) == families
