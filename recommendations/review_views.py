"""Reviews in the browser: a business manager adds a review (its facts and
its publication decision, never the report itself), changes it, adds its
published recommendations by hand (or by importing a plan), and records the
partnership's response to each. Every change is guarded, versioned and in
the history, like every other edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from recommendations import themes
from recommendations.concurrency import versioned_edit
from recommendations.forms import NewRecommendationForm, ResponseForm, ReviewForm
from recommendations.models import Recommendation, Review
from recommendations.views import _get_recommendation, edit_recommendation
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by


@login_required
@require_safe
@requires("manage_reviews")
def review_list(request):
    reviews = (
        Review.objects.visible_to(request.user)
        .annotate(recommendation_count=Count("recommendations"))
        .order_by("reference")
    )
    return render(request, "recommendations/reviews/list.html", {"reviews": reviews})


@login_required
@require_safe
@requires("manage_reviews")
def review_detail(request, pk):
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)
    recs = Recommendation.objects.visible_to(request.user).filter(review=review).order_by("number")
    ctx = {"review": review, "recommendations": recs}
    return render(request, "recommendations/reviews/detail.html", ctx)


@login_required
@requires("manage_reviews")
def review_create(request):
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), changes_by(request.user, "Review added"):
            review = form.save()
        messages.success(request, f"{review.reference} was added. Now add its recommendations.")
        return redirect("recommendations:review_detail", pk=review.pk)
    status = 400 if form.errors else 200
    return render(request, "recommendations/reviews/form.html", {"form": form}, status=status)


@login_required
@requires("manage_reviews")
def review_edit(request, pk):
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)

    def apply(current, form):
        for name in form.Meta.fields:
            setattr(current, name, form.cleaned_data[name])

    def done(current):
        messages.success(request, f"{current.reference} was changed.")
        return redirect("recommendations:review_detail", pk=current.pk)

    return versioned_edit(
        request,
        review,
        ReviewForm,
        "recommendations/reviews/form.html",
        reason=lambda cleaned: "Review changed",
        apply=apply,
        shown=lambda current: [
            ("Reference", current.reference),
            ("Title", current.title),
            ("Publication", current.get_publication_display()),
            ("Why", current.publication_reason),
        ],
        done=done,
        ctx={"review": review},
    )


@login_required
@requires("manage_reviews")
def recommendation_add(request, pk):
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)
    next_number = (review.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    form = NewRecommendationForm(
        request.POST if request.method == "POST" else None,
        review=review,
        initial={"number": next_number},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), changes_by(request.user, "Recommendation added"):
            rec = form.save(commit=False)
            rec.updated_by = request.user
            rec.save()
            if form.cleaned_data.get("themes"):
                themes.change_themes(rec, request.user, add=form.cleaned_data["themes"])
        messages.success(
            request,
            f"Recommendation {rec.number} was added to {review.reference}. Check whether it "
            "repeats a recommendation of another review: the most similar are below.",
        )
        return redirect("recommendations:repeat_check", pk=rec.pk)
    ctx = {"form": form, "review": review}
    return render(
        request,
        "recommendations/reviews/recommendation_form.html",
        ctx,
        status=400 if form.errors else 200,
    )


@login_required
@requires("manage_reviews")
def response_change(request, pk):
    rec = _get_recommendation(request.user, pk)

    def apply(current, cleaned):
        current.response = cleaned["response"]
        current.response_reason = cleaned["response_reason"]

    return edit_recommendation(
        request,
        rec,
        ResponseForm,
        "recommendations/reviews/response_form.html",
        reason=lambda cleaned: (
            f"Response recorded: {Recommendation.Response(cleaned['response']).label}"
        ),
        apply=apply,
        shown=lambda current: [
            ("Response", current.get_response_display()),
            ("Why", current.response_reason),
        ],
        success="The partnership's response was recorded.",
    )
