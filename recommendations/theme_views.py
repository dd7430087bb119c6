"""The partnership's themes: a business manager keeps the list (Manage →
Themes) and gives each recommendation its themes; the dashboard groups and
filters by them across reviews (reporting/dashboard.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from recommendations import themes
from recommendations.concurrency import versioned_edit
from recommendations.models import Recommendation, Theme
from recommendations.theme_forms import RecommendationThemesForm, ThemeForm
from recommendations.views import _get_recommendation
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by


@login_required
@require_safe
@requires("manage_reviews")
def theme_list(request):
    visible = Recommendation.objects.visible_to(request.user).values("pk")
    found = Theme.objects.annotate(
        recommendation_count=Count("links", filter=Q(links__recommendation__in=visible))
    )
    return render(request, "recommendations/themes/list.html", {"themes": found})


@login_required
@requires("manage_reviews")
def theme_create(request):
    form = ThemeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), changes_by(request.user, "Theme added"):
            theme = form.save()
        messages.success(request, f"The theme “{theme.name}” was added.")
        return redirect("recommendations:theme_list")
    status = 400 if form.errors else 200
    return render(request, "recommendations/themes/form.html", {"form": form}, status=status)


@login_required
@requires("manage_reviews")
def theme_edit(request, pk):
    theme = get_object_or_404(Theme, pk=pk)

    def apply(current, form):
        current.name = form.cleaned_data["name"]
        current.description = form.cleaned_data["description"]

    def done(current):
        messages.success(request, f"The theme “{current.name}” was changed.")
        return redirect("recommendations:theme_list")

    return versioned_edit(
        request,
        theme,
        ThemeForm,
        "recommendations/themes/form.html",
        reason=lambda cleaned: "Theme changed",
        apply=apply,
        shown=lambda current: [("Name", current.name), ("What it covers", current.description)],
        done=done,
        ctx={"theme": theme},
    )


@login_required
@requires("manage_reviews")
def recommendation_themes(request, pk):
    rec = _get_recommendation(request.user, pk)
    current = themes.carried_by(rec)
    form = RecommendationThemesForm(
        request.POST if request.method == "POST" else None, current=current
    )
    if request.method == "POST" and form.is_valid():
        ticked, shown = set(form.cleaned_data["themes"]), set(form.cleaned_data["shown"])
        with transaction.atomic():
            rec = Recommendation.objects.select_for_update().get(pk=rec.pk)
            with changes_by(request.user, "Themes changed"):
                added, removed = themes.change_themes(
                    rec, request.user, add=ticked - shown, remove=shown - ticked
                )
        messages.success(request, _said(added, removed))
        return redirect("recommendations:recommendation_detail", pk=rec.pk)
    ctx = {"recommendation": rec, "form": form, "any_themes": Theme.objects.exists()}
    status = 400 if form.errors else 200
    return render(request, "recommendations/themes/recommendation_form.html", ctx, status=status)


def _said(added, removed):
    parts = []
    if added:
        parts.append(f"Theme{'s' if len(added) > 1 else ''} added: {', '.join(sorted(added))}.")
    if removed:
        parts.append(
            f"Theme{'s' if len(removed) > 1 else ''} taken away: {', '.join(sorted(removed))}."
        )
    return " ".join(parts) or "The themes were not changed."
