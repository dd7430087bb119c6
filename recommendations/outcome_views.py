"""Outcomes and impact, apart from the delivery rating: each recommendation's
intended outcome and how it will be measured; and, at the impact review after
sign-off, a business manager's judgement of whether the outcome is evidenced
(evidenced, partly, not), kept with its narrative and shown on the
recommendation's page and in board packs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from recommendations import pages
from recommendations.forms import ImpactForm, OutcomeForm
from recommendations.models import Impact, SignOff
from recommendations.views import _get_recommendation, edit_recommendation
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by


@login_required
@requires("manage_reviews")
def outcome_change(request, pk):
    rec = _get_recommendation(request.user, pk)

    def apply(current, cleaned):
        current.intended_outcome = cleaned["intended_outcome"]
        current.outcome_measure = cleaned["outcome_measure"]

    return edit_recommendation(
        request,
        rec,
        OutcomeForm,
        "recommendations/outcome_form.html",
        reason=lambda cleaned: "Intended outcome and its measure recorded",
        apply=apply,
        shown=lambda current: [
            ("Intended outcome", current.intended_outcome),
            ("How it will be measured", current.outcome_measure),
        ],
        success="The intended outcome was recorded.",
    )


@login_required
@requires("sign_off")
def impact_judge(request, pk):
    rec = _get_recommendation(request.user, pk)
    if not rec.sign_offs.filter(kind=SignOff.Kind.MANAGER).exists():
        messages.error(request, "The impact is judged after the recommendation is signed off.")
        return redirect("recommendations:recommendation_detail", pk=rec.pk)
    parts = pages.context("impact_form", request, recommendation=rec)
    form = ImpactForm(
        request.POST if request.method == "POST" else None, extra_fields=parts.get("fields")
    )
    if request.method == "POST" and form.is_valid():
        label = Impact(form.cleaned_data["judgement"]).label
        with transaction.atomic(), changes_by(request.user, f"Impact judged: {label}"):
            judgement = form.save(commit=False)
            judgement.recommendation = rec
            judgement.judged_by = request.user
            judgement.save()
            if "saved" in parts:
                parts["saved"](judgement, form.cleaned_data)
        messages.success(request, f"{label}: the judgement was recorded.")
        return redirect("recommendations:recommendation_detail", pk=rec.pk)
    ctx = {"recommendation": rec, "form": form, "latest": rec.impact_judgements.first()}
    status = 400 if form.errors else 200
    return render(request, "recommendations/impact_form.html", ctx, status=status)
