"""Assurance decisions and sign-off: a manager's "assured without evidence",
the business manager's sign-off as Complete, and statutory partners' sign-offs."""

import calendar
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from recommendations import signals
from recommendations.concurrency import versioned_edit
from recommendations.forms import AssureWithoutEvidenceForm, SignOffForm
from recommendations.models import Action, Rating, Recommendation, SignOff, rests_on
from recommendations.views import edit_recommendation
from scr_tracker.accounts.capabilities import require, requires
from scr_tracker.audit import changes_by


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _scoped(user, pk):
    return get_object_or_404(Recommendation.objects.visible_to(user).for_list(), pk=pk)


@login_required
@requires("assure_actions")
def action_assure(request, pk):
    """A business manager records that an action is assured although no evidence
    was accepted for it, and why. It is shown as such wherever assurance is."""
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("recommendation__review", "agency"),
        pk=pk,
    )

    def apply(current, form):
        current.assure_without_evidence(form.cleaned_data["reason"])

    def done(current):
        messages.success(request, f"The action for {current.agency.name} is assured.")
        return redirect("recommendations:recommendation_detail", pk=current.recommendation_id)

    return versioned_edit(
        request,
        action,
        AssureWithoutEvidenceForm,
        "recommendations/assure_form.html",
        reason=lambda cleaned: f"Assured without evidence: {cleaned['reason']}",
        apply=apply,
        shown=lambda current: [
            ("State", current.get_state_display()),
            ("Assured by", current.get_assurance_display() or "Not assured"),
        ],
        done=done,
        ctx={"recommendation": action.recommendation, "action": action},
    )


@login_required
def sign_off(request, pk):
    """A business manager signs a recommendation off as Complete once every
    action is assured; the sign-off says what each assurance rests on."""
    rec = _scoped(request.user, pk)
    require(request.user, "sign_off")
    actions = list(rec.actions.select_related("agency").order_by("agency__name", "pk"))
    waiting = [a for a in actions if a.state != Action.State.ASSURED]
    template = "recommendations/sign_off_form.html"
    ctx = {
        "actions": actions,
        "waiting": waiting,
        "has_actions": bool(actions),
        "rests_on": rests_on(actions),
    }
    if request.method == "POST" and (waiting or not actions):
        form = SignOffForm(request.POST, instance=rec)
        form.add_error(None, "Every action must be assured before signing off.")
        return render(request, template, {**ctx, "recommendation": rec, "form": form}, status=400)

    def apply(current, cleaned):
        # Under the lock: the actions as they are now.
        now = list(current.actions.select_related("agency"))
        if not now or any(a.state != Action.State.ASSURED for a in now):
            raise PermissionDenied("An action stopped being assured: reload the page.")
        current.rating = Rating.COMPLETE
        current.rating_rationale = f"Signed off. {rests_on(now)} {cleaned['note']}".strip()
        current.impact_review_date = add_months(timezone.localdate(), settings.IMPACT_REVIEW_MONTHS)

    def record(current, form):
        SignOff.objects.create(
            recommendation=current,
            kind=SignOff.Kind.MANAGER,
            signed_by=request.user,
            rating=current.rating,
            target_date=current.target_date,
            version=current.version,
            note=form.cleaned_data["note"],
            rests_on=rests_on(list(current.actions.select_related("agency"))),
        )
        signals.signed_off.send(Recommendation, recommendation=current, actor=request.user)

    return edit_recommendation(
        request,
        rec,
        SignOffForm,
        template,
        reason=lambda cleaned: f"Signed off as Complete. {cleaned['note']}".strip(),
        apply=apply,
        shown=lambda current: [("Rating", current.get_rating_display())],
        success="The recommendation was signed off as Complete.",
        saved=record,
        ctx=ctx,
        signs_off=True,
    )


@login_required
@require_POST
def partner_sign_off(request, pk):
    """An executive of a statutory partner adds their agency's sign-off to a
    recommendation a business manager has signed off."""
    rec = _scoped(request.user, pk)
    agency = request.user.agency
    require(request.user, "partner_sign_off")
    if agency is None or not agency.is_statutory_partner:
        raise PermissionDenied("Only executives of the statutory partners add a sign-off.")
    with transaction.atomic():
        rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
        latest = rec.sign_offs.filter(kind=SignOff.Kind.MANAGER).first()
        if latest is None or not latest.is_current(rec):
            messages.error(request, "A business manager must sign it off first (again).")
            return redirect("recommendations:recommendation_detail", pk=rec.pk)
        with changes_by(request.user, f"Signed off for {agency.name}"):
            SignOff.objects.create(
                recommendation=rec,
                kind=SignOff.Kind.PARTNER,
                signed_by=request.user,
                agency=agency,
                rating=rec.rating,
                target_date=rec.target_date,
                version=rec.version,
                rests_on=latest.rests_on,
            )
    messages.success(request, f"Your sign-off for {agency.name} was recorded.")
    return redirect("recommendations:recommendation_detail", pk=rec.pk)
