"""Retention and disposal (docs/retention.md): a review's evidence is kept for
its period after the review closes; a business manager approves its disposal;
a legal hold stops it. Disposal leaves no trace of the narrative, the file
names or the bytes in any table or in the store, only content-free records."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from evidence.models import DisposalBatch, DisposalRecord, Submission, SubmissionFile
from evidence.retention import DisposalRefused, dispose, retention_of
from recommendations.models import Review
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER
from tests import factories, snapshot

# Invented words that appear nowhere else: after disposal, in no table and no file.
SECRET = "Quillfeather"
TODAY = datetime.date.today()


def every_text_in_the_database():
    """Every row of every table, as text (history, sessions and logs included)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            for row in cursor.fetchall():
                yield table, " ".join(str(value) for value in row)


def tables_mentioning(secret):
    return sorted({table for table, text in every_text_in_the_database() if secret in text})


def stored_bytes(root):
    return [path.read_bytes() for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def world(db, evidence_storage):
    manager = factories.make_user(BUSINESS_MANAGER, username="manager")
    agency = factories.make_agency("Invented Health Trust", short_name="IHT")
    officer = factories.make_user(AGENCY_USER, agency=agency, username="officer")
    closed = factories.make_review(
        reference="OLD R1", closed_on=datetime.date(2019, 3, 1), retention_years=6
    )
    kept = factories.make_review(reference="NEW R2")
    action = factories.make_action(factories.make_recommendation(closed), agency)
    other_action = factories.make_action(factories.make_recommendation(kept), agency)
    accepted = factories.make_submission(
        action, officer, summary=f"Audit by {SECRET} team", impact=f"{SECRET} impact"
    )
    factories.make_file(accepted, content=f"bytes {SECRET}".encode(), name=f"{SECRET} audit.txt")
    held_submission = factories.make_submission(action, officer, summary=f"Held {SECRET}")
    held = factories.make_file(
        held_submission,
        content=f"scan {SECRET}".encode(),
        name=f"{SECRET} scan.png",
        state="held",
        held_reason="Page 1 has no text layer (it may be a scan).",
    )
    other = factories.make_submission(other_action, officer, summary="Kept evidence")
    other_file = factories.make_file(other, content=b"kept bytes", name="kept.txt")
    client = Client()
    client.force_login(manager)
    # Through the pages, so that notes reach the history as they do in use.
    client.post(
        reverse("evidence:file_decision", args=[held.pk]),
        {"decision": "reject", "note": f"It shows {SECRET}'s case file."},
    )
    client.post(
        reverse("evidence:submission_review", args=[accepted.pk]),
        {"decision": "returned", "note": f"Say more about {SECRET}."},
    )
    return {
        "manager": manager,
        "client": client,
        "closed": closed,
        "kept": kept,
        "accepted": accepted,
        "other": other,
        "other_file": other_file,
    }


def approve(world, note="Past the schedule's date; agreed at the March board."):
    return world["client"].post(
        reverse("evidence:disposal", args=[world["closed"].pk]), {"note": note, "confirm": "on"}
    )


def test_due_evidence_is_listed_with_its_rule(world):
    response = world["client"].get(reverse("evidence:retention"))
    rows = {row.review.reference: row for row in response.context["reviews"]}
    assert rows["OLD R1"].due and rows["OLD R1"].submissions == 2
    assert rows["OLD R1"].files == 1  # the rejected file's content is already gone
    assert rows["NEW R2"].status == "Open: kept" and not rows["NEW R2"].due
    assert "Due for disposal" in response.text


def test_disposal_leaves_no_trace_in_any_table_or_the_store(
    world, evidence_storage, django_capture_on_commit_callbacks
):
    assert tables_mentioning(SECRET)  # the check can see the content before
    assert any(SECRET.encode() in data for data in stored_bytes(evidence_storage))
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(world)
    assert response.status_code == 302
    assert tables_mentioning(SECRET) == []
    assert not any(SECRET.encode() in data for data in stored_bytes(evidence_storage))
    # The other review's evidence is untouched, file and all.
    world["other"].refresh_from_db()
    assert world["other"].summary == "Kept evidence" and world["other"].disposed_at is None
    assert (evidence_storage / world["other_file"].file.name).read_bytes() == b"kept bytes"


def test_disposal_keeps_a_content_free_record(world, django_capture_on_commit_callbacks):
    upload = SubmissionFile.objects.get(submission=world["accepted"])
    sha256, size = upload.sha256, upload.size
    with django_capture_on_commit_callbacks(execute=True):
        approve(world)
    batch = DisposalBatch.objects.get()
    assert (batch.submissions, batch.files, batch.bytes) == (2, 1, size)
    assert batch.approved_by == world["manager"]
    assert batch.rule == "Evidence kept 6 years after the review closed (closed 1 March 2019)"
    records = DisposalRecord.objects.filter(batch=batch)
    files = records.filter(kind="file")
    assert sorted(r.sha256 for r in files if r.size == size) == [sha256]
    assert files.count() == 2  # the accepted file, and the rejected one's record
    assert {r.agency.short_name for r in records} == {"IHT"}
    assert {r.review.reference for r in records} == {"OLD R1"}
    narrative = records.get(kind="narrative", submission=world["accepted"])
    # The length of what was there; no hash of short text.
    expected = len(f"Audit by {SECRET} team{SECRET} impactSay more about {SECRET}.".encode())
    assert (narrative.size, narrative.sha256) == (expected, "")
    # The submission's bare record stays, with its history of who did what.
    kept = Submission.objects.get(pk=world["accepted"].pk)
    assert kept.disposed_at is not None and kept.state == "returned"
    history = list(kept.history.order_by("history_date"))
    assert [h.state for h in history] == ["submitted", "returned", "returned"]
    assert history[-1].history_user == world["manager"]
    assert (
        history[-1].history_change_reason
        == f"Disposed of under the retention rule (disposal {batch.pk})"
    )
    page = world["client"].get(reverse("evidence:submission_detail", args=[kept.pk]))
    assert "Disposed of on" in page.text and "under the retention rule" in page.text


def test_a_legal_hold_stops_disposal_and_changes_nothing(world):
    response = world["client"].post(
        reverse("evidence:retention_edit", args=[world["closed"].pk]),
        {
            "closed_on_day": "1",
            "closed_on_month": "3",
            "closed_on_year": "2019",
            "retention_years": "6",
            "legal_hold_reason": "An inquiry asked that records of this kind be kept.",
            "reason": "The inquiry's letter of 1 May",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(pk=world["closed"].pk)
    assert review.on_legal_hold
    latest = review.history.latest()
    assert latest.history_user == world["manager"]
    assert latest.history_change_reason == "Retention changed: The inquiry's letter of 1 May"
    before = snapshot.take()
    response = approve(world)
    assert response.status_code == 400
    assert "on legal hold" in response.text
    snapshot.assert_unchanged(before)
    assert retention_of(review).status == "On legal hold"


def test_evidence_not_yet_due_is_refused(world):
    factories_review = world["closed"]
    with factories.setup_changes():
        factories_review.closed_on = TODAY - datetime.timedelta(days=30)
        factories_review.save()
    before = snapshot.take()
    with pytest.raises(DisposalRefused, match="kept until"):
        dispose(factories_review.pk, world["manager"], "Too early")
    response = approve(world)
    assert response.status_code == 400 and "kept until" in response.text
    snapshot.assert_unchanged(before)


def test_an_open_review_and_a_missing_note_are_refused(world):
    before = snapshot.take()
    with pytest.raises(DisposalRefused, match="still open"):
        dispose(world["kept"].pk, world["manager"], "No date")
    response = world["client"].post(
        reverse("evidence:disposal", args=[world["closed"].pk]), {"confirm": "on"}
    )
    assert response.status_code == 400
    assert "Say why you are approving this disposal." in response.text
    snapshot.assert_unchanged(before)


def test_a_second_disposal_finds_nothing_left(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approve(world)
    with pytest.raises(DisposalRefused, match="Nothing about this review is left"):
        dispose(world["closed"].pk, world["manager"], "Again")


def test_the_daily_command_lists_and_finishes(world, evidence_storage, capsys):
    call_command("disposal_due")
    assert "Due for disposal: OLD R1: 2 submissions, 1 files" in capsys.readouterr().out
    # A disposal whose file deletion did not happen (say, the store was away):
    dispose(world["closed"].pk, world["manager"], "Agreed")  # no commit callbacks run
    assert any(SECRET.encode() in data for data in stored_bytes(evidence_storage))
    call_command("disposal_due")
    out = capsys.readouterr().out
    # The accepted file, and the rejected one (its deletion never ran here either).
    assert "Deleted 2 stored files of approved disposals." in out
    assert not any(SECRET.encode() in data for data in stored_bytes(evidence_storage))


def test_retention_pages_are_for_business_managers(world):
    officer = Client()
    officer.force_login(factories.make_user(AGENCY_USER, agency=factories.make_agency()))
    for url in (
        reverse("evidence:retention"),
        reverse("evidence:retention_edit", args=[world["closed"].pk]),
        reverse("evidence:disposal", args=[world["closed"].pk]),
    ):
        assert officer.get(url).status_code == 403
