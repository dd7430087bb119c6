"""Evidence returned for more information is sent again as the next version
of the same submission: one row, its returned version and the manager's
feedback kept in its history and shown on its page, the managers told, and
"Needs your attention" following it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evidence.models import Notification, Submission
from tests import factories

pytestmark = pytest.mark.django_db

NOTE = "Send the sample size and who carried out the audit."


@pytest.fixture
def returned(action_a, agency_a_user, manager):
    submission = factories.make_submission(
        action_a, agency_a_user, summary="We audited supervision.", impact="It improved."
    )
    factories.make_file(submission, content=b"first audit\n", name="audit.txt")
    with factories.setup_changes():
        submission.state = "returned"
        submission.reviewed_by, submission.reviewed_at = manager, timezone.now()
        submission.reviewer_note = NOTE
        submission.save()
    return submission


def test_sent_again_it_is_the_next_version_of_the_same_evidence(
    returned, client_a, manager, agency_a_user, django_capture_on_commit_callbacks
):
    url = reverse("evidence:send_again", args=[returned.pk])
    page = client_a.get(url).content.decode()
    assert NOTE in page and "We audited supervision.</textarea>" in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client_a.post(
            url,
            {
                "summary": "We audited 40 supervision records (sample of 40, by the QA team).",
                "impact": "It improved.",
                "files": SimpleUploadedFile("sample.txt", b"sample of forty\n", "text/plain"),
            },
        )
    assert sent.status_code == 302
    assert Submission.objects.count() == 1  # the same evidence, not a second one
    again = Submission.objects.get()
    assert (again.version, again.state, again.reviewer_note) == (2, "submitted", "")
    assert sorted((f.original_name, f.version) for f in again.files.all()) == [
        ("audit.txt", 1),
        ("sample.txt", 2),
    ]
    latest = again.history.first()
    assert latest.history_change_reason == "Sent again after it was returned"
    assert latest.history_user == agency_a_user
    told = Notification.objects.get(kind="evidence_sent", recipient=manager)
    assert told.subject == f"Evidence sent again by A for {again.action.recommendation}"

    detail = Client()
    detail.force_login(manager)
    shown = detail.get(reverse("evidence:submission_detail", args=[again.pk])).content.decode()
    versions = shown.split('id="versions"')[1]
    assert "This is version 2." in versions
    assert "Version 1</strong>, returned" in versions and NOTE in versions
    assert "We audited supervision." in versions  # what version 1 said
    assert "sent with version 2" in shown


def test_nothing_changed_is_refused_and_nothing_is_stored(returned, client_a):
    url = reverse("evidence:send_again", args=[returned.pk])
    refused = client_a.post(url, {"summary": returned.summary, "impact": returned.impact})
    assert refused.status_code == 400
    assert "Nothing has changed." in refused.content.decode()
    returned.refresh_from_db()
    assert (returned.version, returned.state) == (1, "returned")


def test_only_returned_evidence_of_ones_own_agency_is_sent_again(
    returned, agency_b_user, manager_client
):
    url = reverse("evidence:send_again", args=[returned.pk])
    other = Client()
    other.force_login(agency_b_user)
    assert other.get(url).status_code == 404
    assert manager_client.get(url).status_code == 403
    with factories.setup_changes():
        returned.state = "accepted"
        returned.reviewer_note = ""
        returned.save()
    owner = Client()
    owner.force_login(returned.submitted_by)
    response = owner.post(url, {"summary": "Changed.", "impact": "Changed."})
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.version == 1 and returned.summary != "Changed."


def test_the_returned_item_goes_when_it_is_sent_again(returned, client_a):
    home = reverse("recommendations:my_actions")

    def returned_count():
        page = client_a.get(home).content.decode()
        found = [line for line in page.splitlines() if "pieces of evidence returned to you" in line]
        return len(found)

    assert returned_count() == 1
    client_a.post(
        reverse("evidence:send_again", args=[returned.pk]),
        {"summary": "With the sample size.", "impact": "It improved."},
    )
    assert returned_count() == 0
