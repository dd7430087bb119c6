"""Returned evidence sent again: the next version of the same submission, not
a second submission beside it. What it said is there to improve, files are
added, and the returned version with the manager's feedback stays in its
history (shown on its page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from evidence.forms import ResubmissionForm
from evidence.models import Submission
from evidence.views import _get_submission, deleted_if_it_fails, evidence_arrived, store_files
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by

SENT_AGAIN = "Sent again after it was returned"


@login_required
@requires("submit_evidence")
def send_again(request, pk):
    submission = _get_submission(request, pk)
    if submission.state != Submission.State.RETURNED or submission.disposed_at:
        messages.error(request, "Only evidence returned for more information can be sent again.")
        return redirect("evidence:submission_detail", pk=pk)
    form = ResubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
        submission=submission,
    )
    if request.method == "POST" and form.is_valid():
        if _save(request.user, submission.pk, form):
            messages.success(
                request,
                "Your evidence was sent again. The business managers are told; its returned "
                "version and their note stay in its history.",
            )
        else:
            messages.error(
                request, "This evidence was changed meanwhile: it is no longer returned."
            )
        return redirect("evidence:submission_detail", pk=pk)
    chosen = len(request.FILES.getlist("files")) if form.errors else 0
    ctx = {"form": form, "submission": submission, "files_chosen": chosen}
    return render(request, "evidence/send_again.html", ctx, status=400 if form.errors else 200)


def _save(user, pk, form) -> bool:
    with deleted_if_it_fails() as stored, transaction.atomic(), changes_by(user, SENT_AGAIN):
        submission = Submission.objects.select_for_update().get(pk=pk)
        if submission.state != Submission.State.RETURNED:
            return False
        submission.version += 1
        submission.summary = form.cleaned_data["summary"]
        submission.impact = form.cleaned_data["impact"]
        submission.state = Submission.State.SUBMITTED
        # The review was of the returned version: it stays in the history.
        submission.reviewed_by = submission.reviewed_at = None
        submission.reviewer_note = ""
        submission.save()
        store_files(submission, form.checked_files, stored)
        evidence_arrived(submission, form.checked_files, user)
    return True
