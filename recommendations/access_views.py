"""Access pages (capability ``manage_people``): which reviews are restricted and
who may see them, and who leads each recommendation. A restricted review and
everything under it is invisible (404, absent from every list, count and
export) to everyone not given access, managers included; the manager who
restricts a review is given access in the same change, so nobody locks it away
from everyone by mistake (docs/people.md)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from recommendations import access
from recommendations.access_forms import GrantForm, RestrictionForm, RevokeForm
from recommendations.grants import RecommendationGrant, ReviewGrant
from recommendations.models import Recommendation, Review
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by


def _review(user, pk):
    return get_object_or_404(Review.objects.visible_to(user), pk=pk)


@login_required
@require_safe
@requires("manage_people")
def reviews(request):
    found = (
        Review.objects.visible_to(request.user)
        .annotate(granted=Count("grants", filter=Q(grants__permission__codename="view_review")))
        .order_by("reference")
    )
    return render(request, "recommendations/access/reviews.html", {"reviews": found})


@login_required
@requires("manage_people")
def review_access(request, pk):
    """Who may see a review; a manager gives a person access (POST)."""
    review = _review(request.user, pk)
    said = (f"{{name}} may now see {review}.", f"{{name}} could already see {review}.")
    return _grants_page(
        request,
        review,
        said,
        "recommendations/access/review.html",
        {
            "review": review,
            "restriction_form": RestrictionForm(
                initial={"is_restricted": str(review.is_restricted)}
            ),
        },
    )


def _grants_page(request, obj, said, template, ctx):
    """A page of the grants on ``obj``, whose form grants one more (POST);
    ``said``: the messages when made and when it was there already."""
    form = GrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        made = access.grant(obj, person, request.user, form.cleaned_data["reason"])
        message = said[0] if made else said[1]
        (messages.success if made else messages.info)(
            request, message.format(name=person.get_full_name() or person.username)
        )
        return redirect(request.path)
    ctx = {
        **ctx,
        "grants": access.grants_of(obj),
        "history": access.grant_history(obj),
        "form": form,
    }
    return render(request, template, ctx, status=400 if form.errors else 200)


@login_required
@require_POST
@requires("manage_people")
def review_restriction(request, pk):
    """Restrict a review (the manager doing it is given access in the same
    change) or open it again, with a reason in the review's history."""
    review = _review(request.user, pk)
    form = RestrictionForm(request.POST)
    if not form.is_valid():
        ctx = {
            "review": review,
            "grants": access.grants_of(review),
            "history": access.grant_history(review),
            "form": GrantForm(),
            "restriction_form": form,
        }
        return render(request, "recommendations/access/review.html", ctx, status=400)
    restricted, reason = form.cleaned_data["is_restricted"], form.cleaned_data["reason"]
    if restricted == review.is_restricted:
        messages.info(request, "Nothing was changed.")
        return redirect("recommendations:review_access", pk=review.pk)
    with transaction.atomic(), changes_by(request.user, reason):
        locked = Review.objects.select_for_update().get(pk=review.pk)
        locked.is_restricted = restricted
        locked.save()
        if restricted:
            access.grant(locked, request.user, request.user, f"Restricted the review: {reason}")
    if restricted:
        messages.success(
            request,
            f"{review.reference} is restricted: only the people listed here may see it.",
        )
    else:
        messages.success(request, f"{review.reference} is open to everyone whose role lets them.")
    return redirect("recommendations:review_access", pk=review.pk)


@login_required
@requires("manage_people")
def leads(request, pk):
    """Who leads a recommendation; a manager names a lead (POST)."""
    rec = get_object_or_404(
        Recommendation.objects.visible_to(request.user).select_related("review"), pk=pk
    )
    said = (
        f"{{name}} now leads {rec}: they may rate it and give its actions.",
        f"{{name}} already leads {rec}.",
    )
    return _grants_page(
        request, rec, said, "recommendations/access/leads.html", {"recommendation": rec}
    )


KINDS = {"review": ReviewGrant, "lead": RecommendationGrant}


@login_required
@requires("manage_people")
def revoke(request, kind, pk):
    """Take a grant away, with a reason (GET asks for it)."""
    if kind not in KINDS:
        raise Http404("No such access.")
    found = get_object_or_404(KINDS[kind].objects.select_related("user", "content_object"), pk=pk)
    target = found.content_object
    seen = Review.objects if kind == "review" else Recommendation.objects
    if not seen.visible_to(request.user).filter(pk=target.pk).exists():
        raise Http404("No such access.")
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        access.revoke(found, request.user, form.cleaned_data["reason"])
        name = found.user.get_full_name() or found.user.username
        messages.success(request, f"{name}'s access was taken away.")
        if kind == "review":
            return redirect("recommendations:review_access", pk=target.pk)
        return redirect("recommendations:leads", pk=target.pk)
    ctx = {"grant": found, "target": target, "kind": kind, "form": form}
    return render(
        request, "recommendations/access/revoke.html", ctx, status=400 if form.errors else 200
    )
