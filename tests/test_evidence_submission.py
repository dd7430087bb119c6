"""The agency's submission form and the business manager's decisions on held
files: scope (AC-08, AC-09), indirect references (AC-18), and failures part way
through a save (FI-05)."""

import pytest
from django.test import Client
from django.urls import reverse

from evidence.models import Submission, SubmissionFile
from recommendations.models import Action
from tests import documents, factories, snapshot
from tests.intake_helpers import post_evidence


@pytest.fixture
def clients(manager, agency_a_user, agency_b_user, executive):
    out = {}
    for role, user in [
        ("manager", manager),
        ("a", agency_a_user),
        ("b", agency_b_user),
        ("executive", executive),
    ]:
        out[role] = Client()
        out[role].force_login(user)
    return out


def test_the_form_offers_only_the_agencys_own_actions(clients, action_a, action_b):
    response = clients["a"].get(reverse("evidence:submission_create"))
    offered = list(response.context["form"].fields["action"].queryset)
    assert offered == [action_a]


def test_a_preselected_action_of_another_agency_is_ignored(clients, action_a, action_b):
    url = reverse("evidence:submission_create") + f"?action={action_b.pk}"
    response = clients["a"].get(url)
    assert response.status_code == 200 and response.context["form"].initial == {}
    response = clients["a"].get(reverse("evidence:submission_create") + f"?action={action_a.pk}")
    assert response.context["form"].initial == {"action": str(action_a.pk)}


def test_agency_a_cannot_submit_for_an_action_of_agency_b(clients, action_b):  # AC-08
    before = snapshot.take()
    response = post_evidence(clients["a"], action_b, [("x.pdf", documents.make_pdf())])
    assert response.status_code == 400
    assert response.context["form"].errors["action"] == [
        "You can only submit evidence for recommendations assigned to your agency."
    ]
    snapshot.assert_unchanged(before)


def test_hidden_fields_naming_another_agency_are_ignored(clients, action_a, agency_b, manager):
    response = post_evidence(
        clients["a"],
        action_a,
        [("x.pdf", documents.make_pdf())],
        agency=str(agency_b.pk),
        submitted_by=str(manager.pk),
        state="accepted",
    )  # AC-09: mass assignment
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.agency == action_a.agency and submission.state == "submitted"
    assert submission.submitted_by.username == "agency-a"
    assert (
        clients["b"].get(reverse("evidence:submission_detail", args=[submission.pk])).status_code
        == 404
    )


def test_managers_and_executives_do_not_submit(clients, action_a):
    for role in ("manager", "executive"):
        before = snapshot.take()
        response = post_evidence(clients[role], action_a, [("x.pdf", documents.make_pdf())])
        assert response.status_code == 403
        snapshot.assert_unchanged(before)


def test_submitting_moves_the_action_on_and_records_history(clients, action_a):
    post_evidence(clients["a"], action_a, [("x.pdf", documents.make_pdf())])
    action_a.refresh_from_db()
    assert action_a.state == Action.State.EVIDENCE_SUBMITTED
    latest = action_a.history.latest()
    assert latest.history_user.username == "agency-a"
    assert latest.history_change_reason == "Evidence submitted by the agency"
    upload = SubmissionFile.objects.get()
    assert upload.history.get().history_user.username == "agency-a"


def test_resubmitting_after_a_return(clients, action_a):
    post_evidence(clients["a"], action_a, [("first.pdf", documents.make_pdf(["First."]))])
    first = Submission.objects.get()
    clients["manager"].post(
        reverse("evidence:submission_review", args=[first.pk]),
        {"decision": "returned", "note": "Please send the audit results."},
    )
    response = post_evidence(
        clients["a"], action_a, [("audit.pdf", documents.make_pdf(["Audit."]))]
    )
    assert response.status_code == 302
    assert Submission.objects.count() == 2


# --- Held files ------------------------------------------------------------------------


@pytest.fixture
def held(clients, action_a):
    post_evidence(clients["a"], action_a, [("photo.png", documents.make_picture())])
    return SubmissionFile.objects.get(state="held")


def test_held_files_are_listed_for_managers_only(clients, held):
    response = clients["manager"].get(reverse("evidence:held_files"))
    assert list(response.context["files"]) == [held]
    assert clients["a"].get(reverse("evidence:held_files")).status_code == 403


def test_a_held_file_blocks_the_review_until_decided(clients, held):
    before = snapshot.take()
    response = clients["manager"].post(
        reverse("evidence:submission_review", args=[held.submission_id]), {"decision": "accepted"}
    )
    assert response.status_code == 302
    snapshot.assert_unchanged(before)
    assert Submission.objects.get().state == "submitted"


def status_of(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, which closes the file
    return response.status_code


def test_releasing_a_held_file_lets_the_agency_download_it(clients, held):
    download = reverse("evidence:file_download", args=[held.pk])
    assert status_of(clients["a"], download) == 403
    assert status_of(clients["manager"], download) == 200  # to check it
    response = clients["manager"].post(
        reverse("evidence:file_decision", args=[held.pk]),
        {"decision": "release", "note": "Looked at it: a chart of training numbers."},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.state == "clear" and held.decided_by.username == "manager"
    assert held.history.latest().history_change_reason.startswith("Held file released")
    assert status_of(clients["a"], download) == 200


def test_rejecting_a_held_file_deletes_its_content(
    clients, held, evidence_storage, django_capture_on_commit_callbacks
):
    path = evidence_storage / held.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["manager"].post(
            reverse("evidence:file_decision", args=[held.pk]),
            {"decision": "reject", "note": "It is a photograph of a case file."},
        )
    assert response.status_code == 302
    assert not path.exists()
    held.refresh_from_db()
    assert held.state == "rejected"
    download = reverse("evidence:file_download", args=[held.pk])
    assert status_of(clients["manager"], download) == 403
    assert status_of(clients["a"], download) == 403


def test_a_decision_needs_a_note_and_is_refused_without_changes(clients, held):
    before = snapshot.take()
    response = clients["manager"].post(
        reverse("evidence:file_decision", args=[held.pk]), {"decision": "release"}
    )
    assert response.status_code == 400
    snapshot.assert_unchanged(before)


# --- AC-18: indirect references ----------------------------------------------------------


@pytest.mark.parametrize("path", ["/evidence/{pk}/history/", "/evidence/{pk}/files/x.pdf"])
def test_no_history_or_filename_routes_exist_for_evidence(clients, action_b, agency_b_user, path):
    submission = factories.make_submission(action_b, agency_b_user)
    for role in ("a", "executive", "b"):
        assert clients[role].get(path.format(pk=submission.pk)).status_code == 404


@pytest.mark.parametrize(
    "next_url", ["https://attacker.example/", "//attacker.example/x", "/\\attacker.example"]
)
def test_login_never_redirects_off_site(agency_a_user, next_url):
    client = Client()
    response = client.post(
        reverse("login") + f"?next={next_url}",
        {"username": "agency-a", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_next_pointing_at_agency_bs_evidence_still_404s(
    agency_a_user, action_b, agency_b_user
):
    submission = factories.make_submission(action_b, agency_b_user, summary="ZZ-B-ONLY-5521")
    target = reverse("evidence:submission_detail", args=[submission.pk])
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=agency_a_user, name="App", confirmed=True)
    StaticDevice.objects.create(user=agency_a_user, name="Recovery").token_set.create(
        token="invented1"
    )
    client = Client()
    response = client.post(
        reverse("login") + f"?next={target}",
        {"username": "agency-a", "password": "correct horse battery staple"},
        follow=True,
    )
    # The second factor first, the page asked for after it.
    assert response.request["PATH_INFO"] == reverse("two_factor_verify")
    response = client.post(
        reverse("two_factor_verify"), {"code": "invented1", "next": target}, follow=True
    )
    assert response.status_code == 404 and b"ZZ-B-ONLY-5521" not in response.content


# --- FI-05: storage fails part way through ---------------------------------------------


def test_a_storage_failure_keeps_nothing(clients, action_a, settings, evidence_storage):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "BACKEND": "tests.storage.DiskFullOnSecondSave",
        },
    }
    before = snapshot.take()
    with pytest.raises(OSError, match="No space left"):
        post_evidence(clients["a"], action_a, [("one.txt", b"one\n"), ("two.txt", b"two\n")])
    snapshot.assert_unchanged(before)
    assert not any(p.is_file() for p in evidence_storage.rglob("*"))
