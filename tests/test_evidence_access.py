"""Agency scope on evidence, the download view and the access log
(catalogue AC-04 … AC-20)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.urls import reverse

from evidence.models import AccessLog, Submission
from scr_tracker.accounts.models import User
from scr_tracker.audit import changes_by
from tests import factories, snapshot

SENTINEL = "ZZ-AGENCY-B-SENTINEL-7731"


@pytest.fixture
def b_submission(agency_b_user):
    action = factories.make_action(agency=agency_b_user.agency)
    submission = factories.make_submission(
        action, agency_b_user, summary=f"B did {SENTINEL}", impact=SENTINEL
    )
    factories.make_file(submission, content=b"B's evidence", name=f"{SENTINEL}.pdf")
    return submission


@pytest.fixture
def a_submission(agency_a_user):
    action = factories.make_action(agency=agency_a_user.agency)
    return factories.make_submission(action, agency_a_user, summary="A did its part")


def detail(submission):
    return reverse("evidence:submission_detail", args=[submission.pk])


def test_ac04_agency_a_gets_404_for_b_evidence_and_for_a_guessed_id(
    client, agency_a_user, b_submission
):
    client.force_login(agency_a_user)
    for pk in (b_submission.pk, b_submission.pk + 1, 999999):
        response = client.get(reverse("evidence:submission_detail", args=[pk]))
        assert response.status_code == 404
        assert SENTINEL.encode() not in response.content


def test_ac05_b_file_download_is_404_for_a_and_logged(client, agency_a_user, b_submission):
    upload = b_submission.files.get()
    client.force_login(agency_a_user)
    response = client.get(reverse("evidence:file_download", args=[upload.pk]))
    assert response.status_code == 404
    assert b"B's evidence" not in response.content
    entry = AccessLog.objects.get()
    assert (entry.user, entry.event, entry.file_id) == (agency_a_user, "denied", upload.pk)


def test_ac06_lists_hold_only_the_agencys_own_evidence(
    client, agency_a_user, a_submission, b_submission
):
    client.force_login(agency_a_user)
    response = client.get(reverse("evidence:submission_list"))
    assert list(response.context["submissions"]) == [a_submission]
    assert b"1 submission" in response.content
    assert SENTINEL.encode() not in response.content


def test_ac11_executive_sees_metadata_not_narrative_or_files(client, executive, b_submission):
    client.force_login(executive)
    page = client.get(detail(b_submission))
    assert page.status_code == 200
    assert b_submission.agency.name in page.content.decode()
    assert SENTINEL.encode() not in page.content
    listing = client.get(reverse("evidence:submission_list"))
    assert SENTINEL.encode() not in listing.content
    upload = b_submission.files.get()
    assert client.get(reverse("evidence:file_download", args=[upload.pk])).status_code == 403


def test_download_headers_keep_the_file_out_of_caches_and_browsers(
    client, agency_b_user, b_submission
):
    upload = b_submission.files.get()
    client.force_login(agency_b_user)
    response = client.get(reverse("evidence:file_download", args=[upload.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"B's evidence"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"no-store", "private"}
    assert "sandbox" in response["Content-Security-Policy"]
    assert AccessLog.objects.get().event == "downloaded"


def test_ac12_manager_changes_a_rating_with_one_history_row(client, manager):
    rec = factories.make_recommendation(rating="amber", rating_rationale="Started")
    client.force_login(manager)
    url = reverse("recommendations:rating_change", args=[rec.pk])
    data = {"rating": "green", "rating_rationale": "Audit shows it works", "version": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.rating, rec.updated_by) == ("green", manager)
    latest = rec.history.latest()
    assert rec.history.count() == 2
    assert (latest.history_type, latest.history_user) == ("~", manager)
    assert latest.history_change_reason == "Rating changed: Audit shows it works"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "purple", "rating_rationale": "x"}, "Choose a rating."),
        (
            {"rating": "green", "rating_rationale": ""},
            "Say why the recommendation has this rating.",
        ),
    ],
)
def test_a_bad_rating_is_refused_with_a_message_and_nothing_changes(client, manager, data, message):
    rec = factories.make_recommendation()
    client.force_login(manager)
    before = snapshot.take()
    response = client.post(reverse("recommendations:rating_change", args=[rec.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    snapshot.assert_unchanged(before)


def test_ac10_agency_user_cannot_change_a_rating(client, agency_a_user):
    action = factories.make_action(agency=agency_a_user.agency)
    client.force_login(agency_a_user)
    before = snapshot.take()
    url = reverse("recommendations:rating_change", args=[action.recommendation.pk])
    response = client.post(url, {"rating": "green", "rating_rationale": "self-assessed"})
    assert response.status_code == 403
    snapshot.assert_unchanged(before)


def test_ac13_a_model_level_view_permission_does_not_widen_an_agencys_scope(
    client, agency_a_user, a_submission, b_submission
):
    group = Group.objects.create(name="Agency A's team")
    group.permissions.add(Permission.objects.get(codename="view_submission"))
    agency_a_user.groups.add(group)
    agency_a_user.user_permissions.add(Permission.objects.get(codename="change_submission"))
    client.force_login(User.objects.get(pk=agency_a_user.pk))
    response = client.get(reverse("evidence:submission_list"))
    assert list(response.context["submissions"]) == [a_submission]
    assert client.get(detail(b_submission)).status_code == 404


def test_ac14_leaving_the_agency_role_ends_access_on_the_next_request(
    client, agency_a_user, a_submission
):
    client.force_login(agency_a_user)
    assert client.get(detail(a_submission)).status_code == 200
    with factories.setup_changes():
        agency_a_user.role = ""
        agency_a_user.save()
    assert client.get(detail(a_submission)).status_code == 404


def test_ac15_a_reused_id_gives_no_access_to_the_new_owners_evidence(
    client, agency_a_user, agency_b_user, a_submission
):
    pk = a_submission.pk
    with changes_by(agency_a_user, "Entered in error"):
        a_submission.delete()
    with changes_by(agency_b_user, "Test setup"):
        Submission.objects.create(
            pk=pk,
            action=factories.make_action(agency=agency_b_user.agency),
            submitted_by=agency_b_user,
            summary=SENTINEL,
        )
    client.force_login(agency_a_user)
    response = client.get(reverse("evidence:submission_detail", args=[pk]))
    assert response.status_code == 404


def test_ac16_deactivation_ends_the_session_at_once(client, manager):
    client.force_login(manager)
    assert Session.objects.count() == 1
    manager.is_active = False
    with factories.setup_changes():
        manager.save()
    assert Session.objects.count() == 0
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_ac17_there_is_no_anonymous_database_user(db, settings):
    assert settings.ANONYMOUS_USER_NAME is None
    assert not User.objects.filter(username__iexact="AnonymousUser").exists()


def test_no_day_to_day_account_is_a_superuser_or_staff(w6, settings):
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()


def test_ac19_historical_models_are_read_only_in_the_admin(client, db):
    admin_user = factories.make_superuser("break-glass", password="long enough passphrase 1")
    rec = factories.make_recommendation()
    version = rec.history.get()
    client.force_login(admin_user)
    url = reverse("admin:recommendations_recommendation_simple_history", args=[rec.pk, version.pk])
    before = snapshot.take()
    response = client.post(url, {"text": "rewritten", "short_title": "rewritten"})
    # With revert disabled, the old version is shown read-only and nothing saved.
    assert response.status_code == 200
    snapshot.assert_unchanged(before)


@pytest.mark.parametrize("prefix", ["/media/", "/evidence/", "/static/", "/"])
def test_ac20_stored_files_have_no_direct_url(client, agency_b_user, b_submission, prefix):
    upload = b_submission.files.get()
    client.force_login(agency_b_user)
    response = client.get(prefix + upload.file.name)
    assert response.status_code == 404


def test_withdraw_before_review_keeps_history_and_blocks_after_review(
    client, agency_b_user, manager, b_submission
):
    client.force_login(agency_b_user)
    response = client.post(reverse("evidence:submission_withdraw", args=[b_submission.pk]))
    assert response.status_code == 302
    b_submission.refresh_from_db()
    assert b_submission.state == "withdrawn"
    latest = b_submission.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        agency_b_user,
        "Withdrawn by the agency before review",
    )


def test_reviewed_evidence_cannot_be_withdrawn(client, agency_b_user, manager, b_submission):
    client.force_login(manager)
    client.post(
        reverse("evidence:submission_review", args=[b_submission.pk]), {"decision": "accepted"}
    )
    client.force_login(agency_b_user)
    before = snapshot.take()
    response = client.post(
        reverse("evidence:submission_withdraw", args=[b_submission.pk]), follow=True
    )
    assert "cannot be withdrawn" in response.content.decode()
    snapshot.assert_unchanged(before)


def test_manager_returns_evidence_with_a_note_and_history(client, manager, b_submission):
    client.force_login(manager)
    url = reverse("evidence:submission_review", args=[b_submission.pk])
    refused = client.post(url, {"decision": "returned", "note": ""})
    assert refused.status_code == 400
    assert "Say what more the agency needs to send." in refused.content.decode()
    client.post(url, {"decision": "returned", "note": "Please add the audit results."})
    b_submission.refresh_from_db()
    assert (b_submission.state, b_submission.reviewed_by) == ("returned", manager)
    assert b_submission.history.latest().history_change_reason == "Evidence returned"


def test_the_access_log_records_reads_without_content(client, manager, b_submission):
    client.force_login(manager)
    client.get(detail(b_submission))
    page = client.get(reverse("evidence:access_log"))
    assert page.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.user, entry.event, entry.submission_id) == (manager, "viewed", b_submission.pk)
    assert SENTINEL.encode() not in page.content


def test_the_evidence_list_is_50_a_page_newest_first_with_true_counts(
    client, manager, agency_a_user
):
    import datetime

    from django.utils import timezone

    action = factories.make_action(agency=agency_a_user.agency)
    now = timezone.now()
    made = [
        factories.make_submission(
            action, agency_a_user, submitted_at=now - datetime.timedelta(hours=n)
        )
        for n in range(53)
    ]
    factories.make_file(made[0])
    factories.make_file(made[0], content=b"second file")
    client.force_login(manager)
    url = reverse("evidence:submission_list")
    first = client.get(url)
    shown = list(first.context["submissions"])
    assert shown == made[:50]  # newest first
    assert shown[0].file_count == 2 and shown[1].file_count == 0
    assert "53 submissions: 1 to 50, newest first" in first.text
    assert 'href="?page=2#submissions"' in first.text
    second = client.get(url, {"page": 2})
    assert list(second.context["submissions"]) == made[50:]
    assert "53 submissions: 51 to 53, newest first" in second.text
