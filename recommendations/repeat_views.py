"""Repeats across reviews, for a business manager: the recommendations of
other reviews most like this one (repeats.py), each to confirm ("it repeats
this") or dismiss ("not a repeat"). A decision is kept with who and when, in
history; confirmed repeats show on both recommendations' pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from recommendations import repeats
from recommendations.models import Recommendation, Repeat
from recommendations.views import _get_recommendation
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by

DECIDED = {
    Repeat.Decision.CONFIRMED: "Confirmed as a repeat",
    Repeat.Decision.DISMISSED: "Dismissed: not a repeat",
}


@login_required
@requires("manage_reviews")
def repeat_check(request, pk):
    rec = _get_recommendation(request.user, pk)
    if request.method == "POST":
        return _decide(request, rec)
    ctx = {
        "recommendation": rec,
        "suggested": repeats.suggestions(rec, request.user),
        "confirmed": repeats.confirmed(rec, request.user),
        "dismissed": Repeat.objects.filter(
            recommendation=rec, decision=Repeat.Decision.DISMISSED
        ).select_related("earlier__review"),
        "exact": repeats.exact(),
        "next": Recommendation.objects.visible_to(request.user)
        .filter(review=rec.review_id, number__gt=rec.number)
        .select_related("review")
        .order_by("number")
        .first(),
    }
    return render(request, "recommendations/repeats.html", ctx)


def _decide(request, rec):
    decision = request.POST.get("decision", "")
    earlier_id = request.POST.get("earlier", "")
    if decision not in DECIDED or not earlier_id.isdigit():
        messages.error(request, "Choose whether it repeats the recommendation or not.")
        return redirect("recommendations:repeat_check", pk=rec.pk)
    earlier = (
        Recommendation.objects.visible_to(request.user)
        .exclude(review=rec.review_id)
        .filter(pk=earlier_id)
        .first()
    )
    if earlier is None:
        raise Http404("No such recommendation.")
    with transaction.atomic(), changes_by(request.user, DECIDED[decision]):
        Repeat.objects.update_or_create(
            recommendation=rec,
            earlier=earlier,
            defaults={
                "decision": decision,
                "similarity": repeats.similarity(rec, earlier),
                "decided_by": request.user,
                "decided_at": timezone.now(),
            },
        )
    verdict = "repeats" if decision == Repeat.Decision.CONFIRMED else "does not repeat"
    messages.success(request, f"Recorded: {rec} {verdict} {earlier}.")
    return redirect("recommendations:repeat_check", pk=rec.pk)
