import io
import os

import pytest
from django.db import connection
from django.test import Client

from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from tests.factories import make_action, make_agency, make_user

IN_CI = os.environ.get("CI") == "true"
pytest_plugins = ["tests.browser", "tests.clamav"]


def _force_login_with_second_factor(self, user, backend=None):
    """The test client's force_login signs a person in as after both factors: a
    confirmed authenticator device, and the session marked as verified with it.
    The sign-in itself, with and without the second factor, is tested through
    the real forms (tests/test_two_factor.py); ``force_login_password_only``
    leaves the second factor out."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from scr_tracker.accounts import two_factor

    _force_login_password_only(self, user, backend)
    if two_factor.required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


_force_login_password_only = Client.force_login
Client.force_login = _force_login_with_second_factor
Client.force_login_password_only = _force_login_password_only


def pytest_collection_modifyitems(config, items):
    vendor = connection.vendor
    if vendor != "postgresql":
        if IN_CI:
            raise pytest.UsageError(f"CI must run on PostgreSQL, not {vendor}: set DATABASE_URL.")
        skip = pytest.mark.skip(reason="needs PostgreSQL (runs in CI)")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected as a deployment collects them (hashed, compressed,
    with a manifest). Opt in where the production static set-up is the subject
    (tests/test_frontend.py); other tests serve static files from their sources."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
        yield root


@pytest.fixture(scope="session", autouse=True)
def uncollected_static_root(tmp_path_factory):
    """STATIC_ROOT for the session: an empty directory (whitenoise, and so the
    live server's middleware, wants one to exist); static files come from
    their sources."""
    from django.test.utils import override_settings

    root = tmp_path_factory.mktemp("static-not-collected")
    with override_settings(STATIC_ROOT=root):
        yield root


@pytest.fixture(autouse=True)
def static_files(request, settings, uncollected_static_root):
    """Unhashed static files from their sources, unless the test asked for the
    collected, hashed set (``collected_static``)."""
    if "collected_static" in request.fixturenames:
        return
    settings.STATIC_ROOT = uncollected_static_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the password-reset counts live there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Test accounts only: the real hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path):
    """Each test stores evidence files in its own directory."""
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "OPTIONS": {**settings.STORAGES["evidence"]["OPTIONS"], "location": str(root)},
        },
    }
    return root


def put_back_migrated_data():
    """The rows the data migrations make (the system account, the rating
    definitions), as the migrations made them. Idempotent."""
    from importlib import import_module

    from django.db.migrations.loader import MigrationLoader

    apps = MigrationLoader(connection).project_state().apps
    import_module("scr_tracker.accounts.migrations.0002_system_user").create_system_user(apps, None)
    import_module("recommendations.migrations.0002_rating_definitions").seed(apps, None)


@pytest.fixture
def migrated_data(transactional_db):
    put_back_migrated_data()


@pytest.fixture(autouse=True)
def _transactional_tests_start_migrated(request):
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("migrated_data")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties the database when it ends (serialized
    rollback cannot restore these rows: the audit layer refuses raw saves).
    Put the migrations' rows back at once, so whatever test runs next on this
    worker, in any file, finds the database as migrate left it."""
    result = yield
    marker = item.get_closest_marker("django_db")
    # After the last test the test database is already gone: touch nothing.
    if nextitem is not None and marker and marker.kwargs.get("transaction"):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            put_back_migrated_data()
            # Once Playwright's event loop runs in this thread, Django keeps a
            # connection per context; this hook's would outlive the session
            # and stop the test database being dropped. (SQLite in memory
            # would lose its data if closed.)
            if connection.vendor != "sqlite":
                connection.close()
    return result


@pytest.fixture
def agency_a(db):
    return make_agency("Agency A (test)", short_name="A")


@pytest.fixture
def agency_b(db):
    return make_agency("Agency B (test)", short_name="B")


@pytest.fixture
def manager(db):
    return make_user(BUSINESS_MANAGER, username="manager")


@pytest.fixture
def executive(db):
    return make_user(EXECUTIVE, username="executive")


@pytest.fixture
def agency_a_user(agency_a):
    return make_user(AGENCY_USER, agency=agency_a, username="agency-a")


@pytest.fixture
def agency_b_user(agency_b):
    return make_user(AGENCY_USER, agency=agency_b, username="agency-b")


@pytest.fixture
def manager_client(manager):
    """A test client signed in as the business manager."""
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def client_a(client, agency_a_user):
    """The test client, signed in as agency A's user."""
    client.force_login(agency_a_user)
    return client


@pytest.fixture
def action_a(agency_a):
    """An action of agency A's on a recommendation of its own."""
    return make_action(agency=agency_a)


@pytest.fixture
def action_b(agency_b):
    return make_action(agency=agency_b)


@pytest.fixture
def w6(db):
    """The W6 review as the run command loads it."""
    from django.core.management import call_command

    from recommendations.models import Review

    call_command("load_review", "fixtures/w6.json", stdout=io.StringIO())
    return Review.objects.get(reference="SCR W6")
