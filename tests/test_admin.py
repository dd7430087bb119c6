"""The admin: break-glass only. Every model registered with history; changes
need a reason; non-staff never get past its sign-in page (the admin family of
the route matrix); only active superusers who have passed the second factor
get in, and "staff" on anyone else is refused by the database."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from scr_tracker.accounts.models import User
from scr_tracker.accounts.roles import BUSINESS_MANAGER
from tests import factories, snapshot
from tests.permission_matrix import ROLES, all_routes, row_for


@pytest.fixture
def break_glass(db):
    return factories.make_superuser("break-glass", password="long enough passphrase 1")


def test_every_model_is_in_the_admin_with_history():
    from django.apps import apps
    from simple_history.admin import SimpleHistoryAdmin

    for label in ["accounts", "recommendations", "evidence"]:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert model in admin.site._registry, model
            if hasattr(model, "history"):
                assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


def test_an_admin_change_records_the_admin_and_their_reason(client, break_glass):
    agency = factories.make_agency(short_name="Old")
    client.force_login(break_glass)
    url = reverse("admin:accounts_agency_change", args=[agency.pk])
    response = client.post(
        url,
        {"name": agency.name, "short_name": "New", "change_reason": "Agency renamed itself"},
    )
    assert response.status_code == 302
    latest = agency.history.latest()
    assert latest.short_name == "New"
    assert latest.history_user == break_glass
    assert latest.history_change_reason == "Admin: Agency renamed itself"


def test_an_admin_change_without_a_reason_is_refused(client, break_glass):
    agency = factories.make_agency(short_name="Old")
    client.force_login(break_glass)
    before = snapshot.take()
    url = reverse("admin:accounts_agency_change", args=[agency.pk])
    response = client.post(url, {"name": agency.name, "short_name": "New"})
    assert response.status_code == 200
    assert "Enter reason for this change." in response.content.decode()  # names the field
    snapshot.assert_unchanged(before)


def test_history_pages_render_and_cannot_revert(client, break_glass, w6, settings):
    rec = w6.recommendations.first()
    client.force_login(break_glass)
    response = client.get(reverse("admin:recommendations_recommendation_history", args=[rec.pk]))
    assert response.status_code == 200
    assert "Loaded from w6.json" in response.content.decode()
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_evidence_cannot_be_added_or_changed_in_the_admin(client, break_glass):
    upload = factories.make_file()
    client.force_login(break_glass)
    assert client.get(reverse("admin:evidence_submission_add")).status_code == 403
    view = client.get(reverse("admin:evidence_submissionfile_change", args=[upload.pk]))
    assert view.status_code == 200
    assert upload.file.name not in view.content.decode()


def test_users_cannot_be_deleted_in_the_admin(client, break_glass):
    user = factories.make_user()
    client.force_login(break_glass)
    response = client.get(reverse("admin:accounts_user_delete", args=[user.pk]))
    assert response.status_code == 403


def test_grants_are_made_in_the_tracker_not_the_admin(client, break_glass):
    """Guardian's object-permission pages are not in the admin (grants made
    there had no reason and no history); the grant tables are read-only."""
    from recommendations.grants import RecommendationGrant, ReviewGrant

    names = {name for name, _ in all_routes()}
    assert not [name for name in names if name.endswith("_permissions")]
    for model in (ReviewGrant, RecommendationGrant):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(None)
        assert not model_admin.has_change_permission(None)
        assert not model_admin.has_delete_permission(None)


# The admin family of the route matrix: every admin URL, for every role.
# Arguments by name; the admin answers non-staff before it looks anything up.
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


def admin_urls():
    """Every admin URL pattern but the sign-in page, with arguments filled in."""
    urls = []
    for name, pattern in sorted(all_routes()):
        if not name.startswith("admin:") or name == "admin:login":
            continue
        wanted = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", str(pattern))
        if wanted:
            urls.append(reverse(name, kwargs={a or b: ADMIN_KWARGS[a or b] for a, b in wanted}))
        else:  # unnamed groups (simple-history's version view): "1" for each
            urls.append(reverse(name, args=["1"] * str(pattern).count("([")))
    return urls


def test_the_matrix_sends_every_admin_route_to_the_admin_sign_in():
    names = [name for name, _ in all_routes() if name.startswith("admin:")]
    assert {row_for(name)[1]["GET"]["manager"] for name in names if name != "admin:login"} == {302}
    assert len(admin_urls()) > 100  # every registered model's pages, not a sample


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_sends_a_non_staff_user_to_the_admin_sign_in(
    role, client, manager, agency_a_user, agency_b_user, executive
):
    """AC-19: nobody but staff gets past the admin's sign-in, for any method."""
    users = {
        "manager": manager,
        "agency_a": agency_a_user,
        "agency_b": agency_b_user,
        "executive": executive,
        "inactive": factories.make_user(BUSINESS_MANAGER, username="gone"),
        "unverified": factories.make_user(BUSINESS_MANAGER, username="half-signed-in"),
        "lead": factories.make_user("agency_user", agency=agency_a_user.agency, username="lead"),
    }
    TOTPDevice.objects.create(user=users["unverified"], name="Test app", confirmed=True)
    if role == "unverified":
        client.force_login_password_only(users[role])  # the second factor not yet passed
    elif role != "anon":
        client.force_login(users[role])
    if role == "inactive":
        users[role].is_active = False
        with factories.setup_changes():
            users[role].save()
    before = snapshot.take()
    wrong = []
    for url in admin_urls():
        # The admin's sign-out page sends non-staff to the admin's front page
        # (from which they go to its sign-in), without signing them out.
        wanted = "/admin/" if url == reverse("admin:logout") else "/admin/login/"
        if role == "unverified":
            wanted = reverse("two_factor_verify")  # the second factor comes first
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith(wanted):
                wrong.append(f"{method.upper()} {url}: {response.status_code} {location}")
    assert not wrong
    snapshot.assert_unchanged(before)


def model_pages(suffixes=("changelist", "add")):
    for model in admin.site._registry:
        for suffix in suffixes:
            yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{suffix}")


def test_staff_status_is_refused_for_anyone_but_a_superuser(db, agency_a):
    """AC-19: "staff" on an agency user used to open the admin's unscoped pages
    (other agencies' submissions, names and notes). The database refuses it."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic(), factories.setup_changes():
        User.objects.create_user("staff-agency-user", agency=agency_a, is_staff=True)
    assert not User.objects.filter(username="staff-agency-user").exists()


def test_the_admin_form_says_why_staff_is_refused(rf, break_glass, agency_a):
    from scr_tracker.accounts.models import User as Person

    officer = factories.make_user("agency_user", agency=agency_a, username="officer-x")
    request = rf.post("/admin/")
    request.user = break_glass
    form_class = admin.site._registry[Person].get_form(request, officer)
    data = {
        "username": officer.username,
        "is_active": "on",
        "is_staff": "on",
        "agency": str(agency_a.pk),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    form = form_class(data, instance=officer)
    assert not form.is_valid()
    assert "Only break-glass superusers may use the admin" in str(form.errors)
    officer.refresh_from_db()
    assert not officer.is_staff


def test_a_superuser_who_has_not_passed_the_second_factor_opens_no_admin_page(client, break_glass):
    client.force_login_password_only(break_glass)
    for url in [reverse("admin:index"), *model_pages(("changelist",))][:10]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/two-factor/")


def test_a_superuser_opens_every_model_list(client, break_glass):
    client.force_login(break_glass)
    failed = [url for url in model_pages(("changelist",)) if client.get(url).status_code != 200]
    assert not failed
    index = client.get(reverse("admin:index")).content.decode()
    for model in admin.site._registry:
        assert str(model._meta.verbose_name_plural).capitalize() in index, model
