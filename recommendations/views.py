from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from recommendations import access, pages, repeats, signals, themes
from recommendations.concurrency import versioned_edit
from recommendations.forms import ActionForm, RatingDefinitionForm, RatingForm, TargetDateForm
from recommendations.models import (
    NEEDS_SIGNING_OFF_AGAIN,
    SIGNED_OFF,
    Action,
    Rating,
    RatingDefinition,
    Recommendation,
    SignOff,
)
from recommendations.timeline import as_seen_by, entries, name_for, newest_first
from scr_tracker.accounts.capabilities import can, require, requires
from scr_tracker.accounts.roles import AGENCY_USER, agency_scope, role_of
from scr_tracker.audit import changes_by
from scr_tracker.navigation import home_route
from scr_tracker.pagination import pagination

RECOMMENDATION_FIELDS = {
    "rating": "Rating",
    "rating_rationale": "Why this rating",
    "target_date": "Target date",
    "response": "Partnership's response",
    "response_reason": "Reason for the response",
    "short_title": "Short title",
}
ACTION_FIELDS = {
    "agency": "Agency",
    "description": "What the agency must do",
    "due_date": "Due date",
    "state": "State",
    "assurance": "Assured by",
    "assurance_reason": "Why assured without evidence",
}


def _get_recommendation(user, pk):
    """A recommendation through the user's scope: outside it is 404."""
    return get_object_or_404(Recommendation.objects.visible_to(user).for_list(), pk=pk)


@login_required
@require_safe
def home(request):
    route = home_route(request.user)
    if route is None:
        raise PermissionDenied("Your account has no role yet. Ask a business manager for one.")
    return redirect(route)


@login_required
@require_safe
def recommendation_detail(request, pk):
    rec = _get_recommendation(request.user, pk)
    actions = list(rec.actions.select_related("agency").order_by("agency__name", "pk"))
    for action in actions:
        # Another agency's action: whether it has evidence is not the viewer's to know.
        action.theirs = role_of(request.user) == AGENCY_USER and (
            action.agency_id != request.user.agency_id
        )
    rec_rows = rec.history.select_related("history_user__agency").order_by(
        "history_date", "history_id"
    )
    action_rows = (
        Action.history.filter(recommendation_id=rec.pk)
        .select_related("history_user__agency", "agency")
        .order_by("id", "history_date", "history_id")
    )
    sign_offs = list(rec.sign_offs.select_related("signed_by", "agency"))
    manager_sign_off = next((s for s in sign_offs if s.kind == SignOff.Kind.MANAGER), None)
    needs_resign_off = manager_sign_off is not None and not manager_sign_off.is_current(rec)
    if manager_sign_off is None:
        sign_off_state = "Not signed off"
    else:
        sign_off_state = NEEDS_SIGNING_OFF_AGAIN if needs_resign_off else SIGNED_OFF
    agency = request.user.agency if can(request.user, "partner_sign_off") else None
    named = name_for(request.user)
    ctx = {
        "recommendation": rec,
        "sign_offs": sign_offs,
        "needs_resign_off": needs_resign_off,
        "sign_off_state": sign_off_state,
        "can_partner_sign": agency is not None
        and agency.is_statutory_partner
        and manager_sign_off is not None
        and not needs_resign_off
        and not any(s.agency_id == agency.pk and s.is_current(rec) for s in sign_offs),
        "actions": actions,
        "timeline": as_seen_by(
            request.user,
            newest_first(
                entries(rec_rows, RECOMMENDATION_FIELDS, subject=lambda row: "Recommendation"),
                entries(
                    action_rows,
                    ACTION_FIELDS,
                    subject=lambda row: f"Action for {row.agency.name}",
                    agency_of=lambda row: row.agency_id,
                ),
            ),
        ),
        "rating_definitions": RatingDefinition.objects.all(),
        "leads": [named(grant.user) for grant in access.grants_of(rec)],
        "may_rate": can(request.user, "rate", rec),
        "may_assign_actions": can(request.user, "assign_actions", rec),
        "repeats": repeats.confirmed(rec, request.user),
        "themes": themes.carried_by(rec),
        "impact": rec.impact_judgements.first() if rec.impact_review_date else None,
        "my_agency": agency_scope(request.user),
        **pages.context("recommendation", request, recommendation=rec),
    }
    return render(request, "recommendations/recommendation_detail.html", ctx)


def edit_recommendation(
    request,
    rec,
    form_class,
    template,
    *,
    reason,
    apply,
    shown,
    success,
    saved=None,
    ctx=None,
    signs_off=False,
):
    """A business manager's versioned edit of a recommendation (see
    concurrency.versioned_edit): ``apply(current, cleaned_data)``; afterwards the
    recommendation must still be in their scope, and they go back to its page.
    An edit of a recommendation whose sign-off was current (other than the
    sign-off itself) makes it need signing off again: signals.sign_off_stale."""

    def change(current, form):
        apply(current, form.cleaned_data)
        current.updated_by = request.user

    def check(current, form):
        if not signs_off:
            tell_if_sign_off_went_stale(current, request.user)
        if saved is not None:
            saved(current, form)
        if not Recommendation.objects.visible_to(request.user).filter(pk=current.pk).exists():
            raise PermissionDenied("That change would leave your scope.")

    def done(current):
        messages.success(request, success)
        return redirect("recommendations:recommendation_detail", pk=current.pk)

    return versioned_edit(
        request,
        rec,
        form_class,
        template,
        reason=reason,
        apply=change,
        shown=shown,
        done=done,
        saved=check,
        ctx={"recommendation": rec, **(ctx or {})},
    )


def tell_if_sign_off_went_stale(current, user):
    """After an edit (its version already raised): if the recommendation's
    sign-off was current before it, it needs signing off again."""
    if current.sign_offs.filter(kind=SignOff.Kind.MANAGER, version=current.version - 1).exists():
        signals.sign_off_stale.send(Recommendation, recommendation=current, actor=user)


@login_required
def rating_change(request, pk):
    rec = _get_recommendation(request.user, pk)
    require(request.user, "rate", rec)

    def apply(current, cleaned):
        current.rating = cleaned["rating"]
        current.rating_rationale = cleaned["rating_rationale"]

    return edit_recommendation(
        request,
        rec,
        RatingForm,
        "recommendations/rating_form.html",
        reason=lambda cleaned: f"Rating changed: {cleaned['rating_rationale']}",
        apply=apply,
        shown=lambda current: [
            ("Rating", current.get_rating_display()),
            ("Why this rating", current.rating_rationale),
        ],
        success="The rating was changed.",
    )


@login_required
def target_date_change(request, pk):
    rec = _get_recommendation(request.user, pk)
    require(request.user, "rate", rec)

    def apply(current, cleaned):
        if current.original_target_date is None:
            current.original_target_date = current.target_date or cleaned["target_date"]
        current.target_date = cleaned["target_date"]

    return edit_recommendation(
        request,
        rec,
        TargetDateForm,
        "recommendations/target_date_form.html",
        reason=lambda cleaned: f"Target date changed: {cleaned['reason']}",
        apply=apply,
        shown=lambda current: [
            ("Target date", f"{current.target_date:%-d %B %Y}" if current.target_date else "")
        ],
        success="The target date was changed.",
    )


@login_required
def action_create(request, pk):
    rec = _get_recommendation(request.user, pk)
    require(request.user, "assign_actions", rec)
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        reason = form.cleaned_data["reason"] or f"Action assigned to {agency.name}"
        with transaction.atomic(), changes_by(request.user, reason):
            action = form.save(commit=False)
            action.recommendation = rec
            action.save()
        messages.success(request, f"The action was assigned to {agency.name}.")
        return redirect("recommendations:recommendation_detail", pk=rec.pk)
    ctx = {"recommendation": rec, "form": form}
    return render(
        request, "recommendations/action_form.html", ctx, status=400 if form.errors else 200
    )


@login_required
def action_edit(request, pk):
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("recommendation__review"), pk=pk
    )
    rec = action.recommendation
    require(request.user, "assign_actions", rec)

    def apply(current, form):
        for name in ("agency", "description", "due_date"):
            if not form.fields[name].disabled:
                setattr(current, name, form.cleaned_data[name])
        current.set_state_by_hand(form.cleaned_data["state"])

    def done(current):
        messages.success(request, "The action was changed.")
        return redirect("recommendations:recommendation_detail", pk=rec.pk)

    return versioned_edit(
        request,
        action,
        ActionForm,
        "recommendations/action_form.html",
        reason=lambda cleaned: cleaned["reason"],
        apply=apply,
        shown=lambda current: [
            ("Agency", current.agency.name),
            ("What the agency must do", current.description),
            ("Due date", f"{current.due_date:%-d %B %Y}" if current.due_date else ""),
            ("State", current.get_state_display()),
        ],
        done=done,
        ctx={"recommendation": rec, "action": action},
    )


ACTIONS_PER_PAGE = 50


@login_required
@require_safe
@requires("submit_evidence")
def my_actions(request):
    """An agency user's home: their agency's actions, soonest due first, 50 a
    page (each with its evidence, read for the page's actions only)."""
    agency_id = request.user.agency_id
    actions = (
        Action.objects.visible_to(request.user)
        .filter(agency=agency_id)
        .select_related("recommendation__review")
        .order_by("due_date", "recommendation__review__reference", "recommendation__number", "pk")
    )
    page = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    prefetch_related_objects(page.object_list, "submissions")
    ctx = {
        "actions": page.object_list,
        "page": page,
        "pages": pagination(page, ""),
        "today": timezone.localdate(),
        **pages.context("my_actions", request, agency_id=agency_id),
    }
    return render(request, "recommendations/my_actions.html", ctx)


@login_required
@require_safe
@requires("edit_rating_definitions")
def rating_definitions(request):
    ctx = {"rating_definitions": RatingDefinition.objects.all()}
    return render(request, "recommendations/rating_definitions.html", ctx)


@login_required
@requires("edit_rating_definitions")
def rating_definition_edit(request, rating):
    definition = get_object_or_404(RatingDefinition, rating=rating)
    label = Rating(definition.rating).label

    def apply(current, form):
        current.definition = form.cleaned_data["definition"]

    def done(current):
        messages.success(request, "The definition was changed.")
        return redirect("recommendations:rating_definitions")

    return versioned_edit(
        request,
        definition,
        RatingDefinitionForm,
        "recommendations/rating_definition_form.html",
        reason=lambda cleaned: f"Definition of {label} changed",
        apply=apply,
        shown=lambda current: [("What this rating means", current.definition)],
        done=done,
        ctx={"definition": definition},
    )
