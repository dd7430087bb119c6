"""Progress on an action, without a file: the agency's updates ("training
booked for March") and the business managers' challenges and questions, as a
dated thread. Scoped like the action's evidence: an agency user reads and
writes only their own agency's; managers read all and challenge; executives
read. Each entry is guarded, kept in history, and tells the other side."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from evidence import events
from evidence.forms import ProgressForm
from evidence.models import ProgressUpdate
from recommendations.models import Action
from scr_tracker.accounts.capabilities import can
from scr_tracker.accounts.roles import AGENCY_USER, role_of
from scr_tracker.audit import changes_by

REASONS = {
    ProgressUpdate.Kind.UPDATE: "Progress update posted by the agency",
    ProgressUpdate.Kind.CHALLENGE: "Challenge or question posted by a business manager",
}


def _action(user, pk):
    """The action, if its thread is the user's to read (404 otherwise)."""
    action = (
        Action.objects.visible_to(user)
        .select_related("agency", "recommendation__review")
        .filter(pk=pk)
        .first()
    )
    if action is None or (role_of(user) == AGENCY_USER and action.agency_id != user.agency_id):
        raise Http404("No such action.")
    return action


def kind_for(user, action):
    """What the user may post on this action's thread, or None."""
    if can(user, "post_progress") and user.agency_id == action.agency_id:
        return ProgressUpdate.Kind.UPDATE
    if can(user, "challenge_progress"):
        return ProgressUpdate.Kind.CHALLENGE
    return None


@login_required
def action_progress(request, pk):
    action = _action(request.user, pk)
    kind = kind_for(request.user, action)
    form = None
    if request.method == "POST":
        if kind is None:
            raise PermissionDenied("You may read this thread, not post on it.")
        form = ProgressForm(request.POST, kind=kind)
        if form.is_valid():
            with transaction.atomic(), changes_by(request.user, REASONS[kind]):
                entry = ProgressUpdate.objects.create(
                    action=action,
                    kind=kind,
                    text=form.cleaned_data["text"],
                    written_by=request.user,
                )
                events.progress_posted(entry, actor=request.user)
            messages.success(request, f"Your {entry.get_kind_display().lower()} was posted.")
            return redirect(f"{request.path}#entry-{entry.pk}")
    elif kind is not None:
        form = ProgressForm(kind=kind)
    entries = (
        ProgressUpdate.objects.visible_to(request.user)
        .filter(action=action)
        .select_related("written_by__agency")
        .order_by("written_at", "pk")
    )
    ctx = {"action": action, "entries": entries, "form": form, "kind": kind}
    return render(
        request, "evidence/action_progress.html", ctx, status=400 if form and form.errors else 200
    )
