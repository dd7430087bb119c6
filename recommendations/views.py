from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from recommendations.forms import RatingForm
from recommendations.models import RatingDefinition, Recommendation
from scr_tracker.accounts.roles import is_business_manager
from scr_tracker.audit import changes_by


def _get_recommendation(user, pk):
    """A recommendation through the user's scope: outside it is 404."""
    return get_object_or_404(Recommendation.objects.visible_to(user).for_list(), pk=pk)


@login_required
@require_safe
def recommendation_list(request):
    recommendations = Recommendation.objects.visible_to(request.user).for_list()
    ctx = {
        "recommendations": recommendations,
        "rating_definitions": RatingDefinition.objects.all(),
    }
    return render(request, "recommendations/recommendation_list.html", ctx)


@login_required
@require_safe
def recommendation_detail(request, pk):
    recommendation = _get_recommendation(request.user, pk)
    ctx = {
        "recommendation": recommendation,
        "history": recommendation.history.select_related("history_user").order_by("-history_date"),
    }
    return render(request, "recommendations/recommendation_detail.html", ctx)


@login_required
def rating_change(request, pk):
    recommendation = _get_recommendation(request.user, pk)
    if not is_business_manager(request.user):
        raise PermissionDenied("Only business managers change ratings.")
    data = request.POST if request.method == "POST" else None
    form = RatingForm(data, instance=recommendation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            rationale = form.cleaned_data["rating_rationale"]
            with changes_by(request.user, f"Rating changed: {rationale}"):
                recommendation = form.save(commit=False)
                recommendation.updated_by = request.user
                recommendation.save()
            if not Recommendation.objects.visible_to(request.user).filter(pk=pk).exists():
                raise PermissionDenied("That change would leave your scope.")
        messages.success(request, "The rating was changed.")
        return redirect("recommendations:recommendation_detail", pk=pk)
    ctx = {"recommendation": recommendation, "form": form}
    status = 400 if form.errors else 200
    return render(request, "recommendations/rating_form.html", ctx, status=status)
