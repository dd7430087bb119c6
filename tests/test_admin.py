"""The admin: every model registered with history; changes need a reason."""

import pytest
from django.contrib import admin
from django.urls import reverse

from scr_tracker.accounts.models import User
from tests import factories, snapshot


@pytest.fixture
def break_glass(db):
    return User.objects.create_superuser("break-glass", password="long enough passphrase 1")


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
    assert "This field is required" in response.content.decode()
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


def test_object_permissions_page_is_available(client, break_glass):
    agency = factories.make_agency()
    client.force_login(break_glass)
    url = reverse("admin:accounts_agency_permissions", args=[agency.pk])
    assert client.get(url).status_code == 200
