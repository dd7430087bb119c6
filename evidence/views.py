"""Evidence pages. Every object is fetched through the user's scope: outside it
is 404 (existence is not revealed); inside it without the right is 403. Every
read and every denial is written to the access log (never any content)."""

from contextlib import contextmanager

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from evidence import access_log, events
from evidence.forms import (
    AssuranceRequestForm,
    FileDecisionForm,
    ReviewDecisionForm,
    SubmissionForm,
)
from evidence.list_filters import ListFilter
from evidence.models import (
    AccessLog,
    AssuranceRequest,
    Submission,
    SubmissionFile,
    evidence_storage,
)
from recommendations.models import Action, Review
from scr_tracker.accounts.capabilities import can, require, requires
from scr_tracker.accounts.models import Agency
from scr_tracker.accounts.roles import agency_scope
from scr_tracker.audit import changes_by
from scr_tracker.pagination import pagination

PER_PAGE = 50


def may_read_content(user) -> bool:
    """Executives see evidence metadata only: no narrative, no files (need to know)."""
    return can(user, "read_evidence_content")


def _log(user, event, submission_id=None, file_id=None):
    access_log.log(user, event, submission_id=submission_id, file_id=file_id)


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
    """Newest first, 50 a page, filtered by state, agency, review and date sent."""
    filters = ListFilter(request.GET, user=request.user, states=Submission.State.choices)
    submissions = filters.apply(
        Submission.objects.visible_to(request.user).for_list(),
        review="action__recommendation__review",
        date="submitted_at__date",
    )
    page = Paginator(submissions, PER_PAGE).get_page(request.GET.get("page"))
    ctx = {
        "submissions": page.object_list,
        "page": page,
        "pages": pagination(page, filters.query()),
        "filters": filters,
        "show_content": may_read_content(request.user),
        "can_submit": agency_scope(request.user) is not None,
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
        "files": _files_for(request.user, submission) if show_content else [],
        "can_withdraw": agency_scope(request.user) == submission.agency_id
        and submission.state == Submission.State.SUBMITTED
        and not submission.disposed_at,
        "can_review": can(request.user, "review_evidence")
        and submission.state == Submission.State.SUBMITTED
        and not submission.disposed_at,
        "can_resubmit": agency_scope(request.user) == submission.agency_id
        and submission.state == Submission.State.RETURNED
        and not submission.disposed_at,
        "returned_versions": returned_versions(submission) if show_content else [],
        "review_form": ReviewDecisionForm(),
    }
    return render(request, "evidence/submission_detail.html", ctx)


def returned_versions(submission):
    """Each earlier version that was returned, with its feedback, from the
    submission's history (oldest first)."""
    if submission.version == 1:
        return []
    rows = (
        submission.history.filter(state=Submission.State.RETURNED)
        .select_related("reviewed_by")
        .order_by("history_date")
    )
    seen, found = set(), []
    for row in rows:
        if row.version not in seen:
            seen.add(row.version)
            found.append(row)
    return found


@login_required
@require_safe
def file_download(request, pk):
    visible = Submission.objects.visible_to(request.user)
    upload = SubmissionFile.objects.filter(submission__in=visible, pk=pk).first()
    if upload is None:
        _log(request.user, AccessLog.Event.DENIED, file_id=pk)
        raise Http404("No such file.")
    if not SubmissionFile.objects.readable_by(request.user).filter(pk=pk).exists():
        _log(request.user, AccessLog.Event.DENIED, submission_id=upload.submission_id, file_id=pk)
        require(request.user, "read_evidence_content")
        raise PermissionDenied("This file is held for a business manager to check, or rejected.")
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
        if submission.state != Submission.State.SUBMITTED or submission.disposed_at:
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
    require(request.user, "review_evidence")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        form = ReviewDecisionForm(request.POST)
        if submission.disposed_at:
            messages.error(request, "This evidence was disposed of, so it cannot be reviewed.")
            return redirect("evidence:submission_detail", pk=pk)
        if submission.state != Submission.State.SUBMITTED:
            messages.error(request, "This evidence has already been reviewed or withdrawn.")
            return redirect("evidence:submission_detail", pk=pk)
        if submission.files.filter(state=SubmissionFile.State.HELD).exists():
            messages.error(request, "Release or reject the held files before reviewing.")
            return redirect("evidence:submission_detail", pk=pk)
        if not form.is_valid():
            ctx = {
                "submission": submission,
                "show_content": True,
                "can_review": True,
            }
            ctx.update(files=_files_for(request.user, submission), review_form=form)
            return render(request, "evidence/submission_detail.html", ctx, status=400)
        decision = form.cleaned_data["decision"]
        with changes_by(request.user, f"Evidence {decision}"):
            submission.state = decision
            submission.reviewer_note = form.cleaned_data["note"]
            submission.reviewed_by = request.user
            submission.reviewed_at = timezone.now()
            submission.save()
            _action_follows_review(submission.action, decision)
        events.evidence_reviewed(
            submission, decision == Submission.State.ACCEPTED, actor=request.user
        )
        _still_in_scope(request.user, submission)
    messages.success(request, "Your review was saved.")
    return redirect("evidence:submission_detail", pk=pk)


def _action_follows_review(action, decision):
    """Accepted evidence assures the action; returned evidence puts it back in
    progress (unless it is already assured). See Action.evidence_accepted."""
    if decision == Submission.State.ACCEPTED:
        action.evidence_accepted()
    else:
        action.evidence_returned()


def _still_in_scope(user, submission):
    """After a write, inside the transaction: the object must still be in the
    user's scope, or the write is rolled back (no moving evidence elsewhere)."""
    if not Submission.objects.visible_to(user).filter(pk=submission.pk).exists():
        raise PermissionDenied("That change would move the evidence out of your scope.")


def _files_for(user, submission):
    """The submission's files, each marked with whether this user may download it."""
    readable = set(
        SubmissionFile.objects.readable_by(user)
        .filter(submission=submission)
        .values_list("pk", flat=True)
    )
    files = list(submission.files.all())
    for upload in files:
        upload.can_download = upload.pk in readable
    return files


@login_required
@requires("submit_evidence")
def submission_create(request):
    """An agency user sends evidence for one of their agency's actions. The
    agency comes from the session; no field can name another."""
    agency = Agency.objects.get(pk=request.user.agency_id)
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, user=request.user)
        submission = _save_submission(request.user, form) if form.is_valid() else None
        if submission is not None:
            held = submission.files.filter(state=SubmissionFile.State.HELD).count()
            message = "Your evidence was sent to the partnership."
            if held:
                message += f" {held} file(s) are held until a business manager has checked them."
            messages.success(request, message)
            return redirect("evidence:submission_detail", pk=submission.pk)
    else:
        initial = {}
        action_id = request.GET.get("action", "")
        mine = Action.objects.visible_to(request.user).filter(agency=agency)
        if action_id.isdigit() and mine.filter(pk=action_id).exists():
            initial["action"] = action_id
        form = SubmissionForm(user=request.user, initial=initial)
    status = 400 if form.errors else 200
    # Files are never kept when the form comes back: say so, and how many.
    chosen = len(request.FILES.getlist("files")) if form.errors else 0
    ctx = {"form": form, "files_chosen": chosen}
    return render(request, "evidence/submission_form.html", ctx, status=status)


def _save_submission(user, form):
    """One transaction for the rows; stored files are deleted again if it fails.

    The action's row is locked first and the "already sent" check made again
    under the lock, so the same file sent twice at once (a double click) is
    stored once: the second request waits, then finds the first's file and
    gets the form back with that error (None is returned)."""
    action = form.cleaned_data["action"]
    reason = "Evidence submitted by the agency"
    with deleted_if_it_fails() as stored, transaction.atomic(), changes_by(user, reason):
        action = Action.objects.select_for_update().get(pk=action.pk)
        if form.refuse_repeats(action):
            return None
        submission = Submission.objects.create(
            action=action,
            agency=form.agency,
            submitted_by=user,
            summary=form.cleaned_data["summary"],
            impact=form.cleaned_data["impact"],
        )
        store_files(submission, form.checked_files, stored)
        evidence_arrived(submission, form.checked_files, user)
    return submission


@contextmanager
def deleted_if_it_fails():
    """A list for the names of files stored in a transaction; if anything
    fails, they are deleted again (nothing stored without its rows)."""
    stored = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            evidence_storage().delete(name)
        raise


def store_files(submission, checked_files, stored):
    """The checked files, stored and recorded with the submission's version;
    each storage name is added to ``stored`` (deleted again if the
    transaction fails)."""
    for checked in checked_files:
        upload = SubmissionFile(
            submission=submission,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=len(checked.data),
            sha256=checked.sha256,
            state=SubmissionFile.State.HELD if checked.held_reason else SubmissionFile.State.CLEAR,
            held_reason=checked.held_reason,
            version=submission.version,
        )
        upload.file.save("upload", ContentFile(checked.data), save=False)
        stored.append(upload.file.name)
        upload.save()


def evidence_arrived(submission, checked_files, user):
    """What evidence sent (or sent again) does, in its transaction: it answers
    the action's open requests, moves the action on, and tells the managers."""
    action = submission.action
    with changes_by(user, "Answered by the agency's evidence"):
        for asked in AssuranceRequest.objects.open().filter(action=action):
            asked.state, asked.answer = AssuranceRequest.State.ANSWERED, submission
            asked.save(update_fields=["state", "answer"])
    action.evidence_submitted()
    _still_in_scope(user, submission)
    events.evidence_sent(submission, actor=user)
    held = sum(1 for checked in checked_files if checked.held_reason)
    if held:
        events.files_held(submission, held, actor=user)


@login_required
@require_safe
@requires("review_evidence")
def held_files(request):
    """Oldest first (the longest waiting), 50 a page, by agency, review and date."""
    filters = ListFilter(request.GET, user=request.user, states=(), dated="received")
    files = filters.apply(
        SubmissionFile.objects.in_reviews_seen_by(request.user)
        .filter(state=SubmissionFile.State.HELD)
        .select_related("submission__agency", "submission__action__recommendation__review")
        .order_by("uploaded_at", "pk"),
        agency="submission__agency",
        review="submission__action__recommendation__review",
        date="uploaded_at__date",
    )
    page = Paginator(files, PER_PAGE).get_page(request.GET.get("page"))
    ctx = {
        "files": page.object_list,
        "page": page,
        "pages": pagination(page, filters.query()),
        "filters": filters,
    }
    return render(request, "evidence/held_files.html", ctx)


@login_required
@requires("review_evidence")
def file_decision(request, pk):
    """A business manager releases a held file after checking it, or rejects it
    (its content is deleted; the record of it stays)."""
    upload = (
        SubmissionFile.objects.in_reviews_seen_by(request.user)
        .filter(pk=pk)
        .select_related("submission")
        .first()
    )
    if upload is None:
        raise Http404("No such file.")
    if upload.state != SubmissionFile.State.HELD:
        messages.error(request, "This file has already been released or rejected.")
        return redirect("evidence:submission_detail", pk=upload.submission_id)
    form = FileDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        release = form.cleaned_data["decision"] == "release"
        with transaction.atomic():
            upload = SubmissionFile.objects.select_for_update().get(pk=pk)
            if upload.state != SubmissionFile.State.HELD:
                messages.error(request, "This file has already been released or rejected.")
                return redirect("evidence:submission_detail", pk=upload.submission_id)
            reason = "Held file released" if release else "Held file rejected"
            with changes_by(request.user, f"{reason}: {form.cleaned_data['note']}"):
                upload.state = (
                    SubmissionFile.State.CLEAR if release else SubmissionFile.State.REJECTED
                )
                upload.decided_by = request.user
                upload.decided_at = timezone.now()
                upload.decision_note = form.cleaned_data["note"]
                upload.save()
            if not release:
                name = upload.file.name
                transaction.on_commit(lambda: evidence_storage().delete(name))
            events.file_decided(upload, release, actor=request.user)
        messages.success(
            request,
            "The file was released."
            if release
            else "The file was rejected and its content deleted.",
        )
        return redirect("evidence:submission_detail", pk=upload.submission_id)
    status = 400 if form.errors else 200
    return render(
        request, "evidence/file_decision.html", {"upload": upload, "form": form}, status=status
    )


@login_required
@require_safe
def request_list(request):
    """Requests for evidence: all for business managers and executives, an
    agency user's own agency's for them. Open ones first, soonest due first."""
    filters = ListFilter(
        request.GET, user=request.user, states=AssuranceRequest.State.choices, dated="due"
    )
    requests = filters.apply(
        AssuranceRequest.objects.visible_to(request.user)
        .select_related("agency", "action__recommendation__review", "requested_by")
        .order_by("-state", "due_date", "pk"),
        review="action__recommendation__review",
        date="due_date",
    )
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    ctx = {
        "requests": page.object_list,
        "page": page,
        "pages": pagination(page, filters.query()),
        "filters": filters,
        "today": timezone.localdate(),
    }
    return render(request, "evidence/request_list.html", ctx)


@login_required
@requires("request_evidence")
def request_create(request):
    initial = {}
    action_id = request.GET.get("action", "")
    if action_id.isdigit():
        initial["action"] = action_id
    review = _review_for_request(request, action_id)
    if review is None:
        # First the review, then its actions: never every action of every review.
        reviews = Review.objects.visible_to(request.user).order_by("reference")
        return render(request, "evidence/request_review_choice.html", {"reviews": reviews})
    form = AssuranceRequestForm(
        request.POST if request.method == "POST" else None, initial=initial, review=review
    )
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        reason = f"Evidence requested from {action.agency.name}"
        with transaction.atomic(), changes_by(request.user, reason):
            asked = form.save(commit=False)
            asked.requested_by = request.user
            asked.save()
            events.request_made(asked, actor=request.user)
        messages.success(
            request,
            f"{action.agency.name} was asked for evidence by {asked.due_date:%-d %B %Y}. "
            "They see the request on their home page and are reminded before it is due.",
        )
        return redirect("evidence:request_list")
    status = 400 if form.errors else 200
    reviews_count = Review.objects.visible_to(request.user).count()
    ctx = {"form": form, "review": review, "reviews_count": reviews_count}
    return render(request, "evidence/request_form.html", ctx, status=status)


def _review_for_request(request, action_id):
    """The review whose actions the request form lists: the one named, the one
    of the action named (in the link or the form sent), or the only review."""
    visible = Review.objects.visible_to(request.user)
    chosen = request.GET.get("review", "") or request.POST.get("review", "")
    if chosen.isdigit():
        return visible.filter(pk=chosen).first()
    sent = request.POST.get("action", "") or action_id
    if sent.isdigit():
        found = visible.filter(recommendations__actions=sent).first()
        if found is not None:
            return found
    reviews = list(visible[:2])
    return reviews[0] if len(reviews) == 1 else None


@login_required
@require_POST
@requires("request_evidence")
def request_cancel(request, pk):
    with transaction.atomic():
        asked = (
            AssuranceRequest.objects.visible_to(request.user)
            .select_for_update(of=("self",))
            .filter(pk=pk)
            .first()
        )
        if asked is None:
            raise Http404("No such request.")
        if asked.state != AssuranceRequest.State.OPEN:
            messages.error(request, "This request is already answered or cancelled.")
            return redirect("evidence:request_list")
        with changes_by(request.user, "Request cancelled by a business manager"):
            asked.state = AssuranceRequest.State.CANCELLED
            asked.save(update_fields=["state"])
        events.request_cancelled(asked, actor=request.user)
    messages.success(request, "The request was cancelled; no more reminders will be sent.")
    return redirect("evidence:request_list")
