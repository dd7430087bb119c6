"""Evidence pages. Every object is fetched through the user's scope: outside it
is 404 (existence is not revealed); inside it without the right is 403. Every
read and every denial is written to the access log (never any content)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from evidence.forms import ReviewDecisionForm
from evidence.models import AccessLog, Submission, SubmissionFile
from scr_tracker.accounts.roles import agency_scope, is_business_manager, is_executive
from scr_tracker.audit import changes_by


def may_read_content(user) -> bool:
    """Executives see evidence metadata only: no narrative, no files (need to know)."""
    return not is_executive(user)


def _log(user, event, submission_id=None, file_id=None):
    AccessLog.objects.create(user=user, event=event, submission_id=submission_id, file_id=file_id)


def _get_submission(request, pk):
    """A submission through the user's scope; a miss is logged, then 404."""
    try:
        return Submission.objects.visible_to(request.user).for_list().get(pk=pk)
    except Submission.DoesNotExist:
        _log(request.user, AccessLog.Event.DENIED, submission_id=pk)
        raise Http404("No such evidence.") from None


@login_required
@require_safe
def submission_list(request):
    ctx = {
        "submissions": Submission.objects.visible_to(request.user).for_list(),
        "show_content": may_read_content(request.user),
    }
    return render(request, "evidence/submission_list.html", ctx)


@login_required
@require_safe
def submission_detail(request, pk):
    submission = _get_submission(request, pk)
    show_content = may_read_content(request.user)
    _log(request.user, AccessLog.Event.VIEWED, submission_id=submission.pk)
    ctx = {
        "submission": submission,
        "show_content": show_content,
        "files": submission.files.all() if show_content else [],
        "can_withdraw": agency_scope(request.user) == submission.agency_id
        and submission.state == Submission.State.SUBMITTED,
        "can_review": is_business_manager(request.user)
        and submission.state == Submission.State.SUBMITTED,
        "review_form": ReviewDecisionForm(),
    }
    return render(request, "evidence/submission_detail.html", ctx)


@login_required
@require_safe
def file_download(request, pk):
    visible = Submission.objects.visible_to(request.user)
    upload = SubmissionFile.objects.filter(submission__in=visible, pk=pk).first()
    if upload is None:
        _log(request.user, AccessLog.Event.DENIED, file_id=pk)
        raise Http404("No such file.")
    if not may_read_content(request.user):
        _log(request.user, AccessLog.Event.DENIED, submission_id=upload.submission_id, file_id=pk)
        raise PermissionDenied("Executives see evidence details, not the files.")
    _log(request.user, AccessLog.Event.DOWNLOADED, upload.submission_id, upload.pk)
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.original_name,
        content_type=upload.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
@require_POST
def submission_withdraw(request, pk):
    submission = _get_submission(request, pk)
    if agency_scope(request.user) != submission.agency_id:
        raise PermissionDenied("Only the submitting agency can withdraw its evidence.")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.state != Submission.State.SUBMITTED:
            messages.error(request, "This evidence has been reviewed, so it cannot be withdrawn.")
            return redirect("evidence:submission_detail", pk=pk)
        with changes_by(request.user, "Withdrawn by the agency before review"):
            submission.state = Submission.State.WITHDRAWN
            submission.save(update_fields=["state"])
        _still_in_scope(request.user, submission)
    messages.success(request, "The evidence was withdrawn.")
    return redirect("evidence:submission_detail", pk=pk)


@login_required
@require_POST
def submission_review(request, pk):
    submission = _get_submission(request, pk)
    if not is_business_manager(request.user):
        raise PermissionDenied("Only business managers review evidence.")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        form = ReviewDecisionForm(request.POST)
        if submission.state != Submission.State.SUBMITTED:
            messages.error(request, "This evidence has already been reviewed or withdrawn.")
            return redirect("evidence:submission_detail", pk=pk)
        if not form.is_valid():
            ctx = {"submission": submission, "show_content": True, "can_review": True}
            ctx.update(files=submission.files.all(), review_form=form)
            return render(request, "evidence/submission_detail.html", ctx, status=400)
        decision = form.cleaned_data["decision"]
        with changes_by(request.user, f"Evidence {decision}"):
            submission.state = decision
            submission.reviewer_note = form.cleaned_data["note"]
            submission.reviewed_by = request.user
            submission.reviewed_at = timezone.now()
            submission.save()
        _still_in_scope(request.user, submission)
    messages.success(request, "Your review was saved.")
    return redirect("evidence:submission_detail", pk=pk)


def _still_in_scope(user, submission):
    """After a write, inside the transaction: the object must still be in the
    user's scope, or the write is rolled back (no moving evidence elsewhere)."""
    if not Submission.objects.visible_to(user).filter(pk=submission.pk).exists():
        raise PermissionDenied("That change would move the evidence out of your scope.")


@login_required
@require_safe
def access_log(request):
    if not is_business_manager(request.user):
        raise PermissionDenied("Only business managers read the access log.")
    entries = AccessLog.objects.select_related("user")[:500]
    return render(request, "evidence/access_log.html", {"entries": entries})
