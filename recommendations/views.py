from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from recommendations.models import RatingDefinition, Recommendation


def _get_recommendation(user, pk):
    """A recommendation through the user's scope: outside it is 404."""
    return get_object_or_404(Recommendation.objects.visible_to(user).for_list(), pk=pk)


@login_required
def recommendation_list(request):
    recommendations = Recommendation.objects.visible_to(request.user).for_list()
    ctx = {
        "recommendations": recommendations,
        "rating_definitions": RatingDefinition.objects.all(),
    }
    return render(request, "recommendations/recommendation_list.html", ctx)


@login_required
def recommendation_detail(request, pk):
    recommendation = _get_recommendation(request.user, pk)
    ctx = {
        "recommendation": recommendation,
        "history": recommendation.history.select_related("history_user").order_by("-history_date"),
    }
    return render(request, "recommendations/recommendation_detail.html", ctx)
