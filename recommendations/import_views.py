"""Importing a new review's action plan: upload, preview, then import it whole."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from recommendations import importer
from recommendations.forms import ImportForm
from recommendations.models import Action, Recommendation, Review
from scr_tracker.accounts.capabilities import requires
from scr_tracker.accounts.models import Agency
from scr_tracker.audit import changes_by

SALT = "recommendations.import"
PREVIEW_SECONDS = 60 * 60


@login_required
@requires("import_plans")
def import_plan(request):
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    ctx = {"form": form, "columns": importer.COLUMNS}
    if request.method == "POST" and form.is_valid():
        try:
            parsed = importer.parse(importer.read_rows(form.cleaned_data["spreadsheet"]))
        except importer.Unreadable as problem:
            form.add_error("spreadsheet", str(problem))
            return render(request, "recommendations/import_form.html", ctx, status=400)
        if parsed.errors:
            ctx["row_errors"] = parsed.errors
            form.add_error("spreadsheet", "Nothing was imported. Correct the rows listed below.")
            return render(request, "recommendations/import_form.html", ctx, status=400)
        review = {k: v for k, v in form.cleaned_data.items() if k != "spreadsheet"}
        payload = {
            "review": review,
            "recommendations": {str(n): r for n, r in sorted(parsed.recommendations.items())},
        }
        ctx.update(
            payload=signing.dumps(payload, salt=SALT, compress=True),
            review=review,
            recommendations=sorted(parsed.recommendations.items()),
            action_count=parsed.action_count,
            agencies={a.pk: a.name for a in Agency.objects.all()},
        )
        return render(request, "recommendations/import_preview.html", ctx)
    status = 400 if form.errors else 200
    return render(request, "recommendations/import_form.html", ctx, status=status)


def _confirm(request):
    try:
        payload = signing.loads(request.POST["payload"], salt=SALT, max_age=PREVIEW_SECONDS)
    except signing.BadSignature:
        messages.error(request, "The preview has expired or was altered. Upload the file again.")
        return redirect("recommendations:import_plan")
    data = payload["review"]
    if Review.objects.filter(reference=data["reference"]).exists():
        messages.error(request, f"A review called {data['reference']} exists. Nothing imported.")
        return redirect("recommendations:import_plan")
    reason = f"Imported from an action plan spreadsheet by {request.user}"
    with transaction.atomic(), changes_by(request.user, reason):
        review = Review.objects.create(**data)
        for number, item in payload["recommendations"].items():
            rec = Recommendation.objects.create(
                review=review,
                number=int(number),
                short_title=item["short_title"],
                text=item["text"],
                updated_by=request.user,
            )
            for action in item["actions"]:
                Action.objects.create(
                    recommendation=rec,
                    agency_id=action["agency"],
                    description=action["description"],
                    due_date=action["due_date"],
                )
    count = len(payload["recommendations"])
    messages.success(
        request,
        f"{review.reference} was imported with {count} recommendations, "
        f"on {timezone.localdate():%-d %B %Y}. Check whether each repeats a recommendation "
        "of another review: the most similar are below, one recommendation at a time.",
    )
    first = review.recommendations.order_by("number").first()
    if first is None:
        return redirect("recommendations:review_detail", pk=review.pk)
    return redirect("recommendations:repeat_check", pk=first.pk)
