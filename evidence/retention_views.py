"""Business managers' retention pages: each review's rule and legal hold, the
evidence due for disposal, and the approval that disposes of it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from evidence.models import DisposalBatch
from evidence.retention import DisposalRefused, dispose, retention_of, retention_of_reviews
from evidence.retention_forms import DisposalForm, RetentionForm
from recommendations.models import Review
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by


@login_required
@require_safe
@requires("manage_retention")
def retention(request):
    ctx = {
        "reviews": retention_of_reviews(reviews=Review.objects.visible_to(request.user)),
        "batches": DisposalBatch.objects.select_related("review", "approved_by")[:20],
    }
    return render(request, "evidence/retention.html", ctx)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@requires("manage_retention")
def retention_edit(request, pk):
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)
    form = RetentionForm(request.POST if request.method == "POST" else None, instance=review)
    if request.method == "POST" and form.is_valid():
        if not form.has_changes():
            messages.info(request, "Nothing was changed.")
            return redirect("evidence:retention")
        with transaction.atomic():
            locked = Review.objects.select_for_update().get(pk=pk)
            for name in form.Meta.fields:
                setattr(locked, name, form.cleaned_data[name])
            with changes_by(request.user, f"Retention changed: {form.cleaned_data['reason']}"):
                locked.save(update_fields=form.Meta.fields)
        messages.success(request, f"The retention of {review.reference} was saved.")
        return redirect("evidence:retention")
    status = 400 if form.errors else 200
    ctx = {"review": review, "form": form, "retention": retention_of(review)}
    return render(request, "evidence/retention_form.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@requires("manage_retention")
def disposal(request, pk):
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)
    form = DisposalForm(request.POST if request.method == "POST" else None)
    state = retention_of(review)
    if request.method == "POST" and form.is_valid():
        try:
            batch = dispose(review.pk, request.user, form.cleaned_data["note"])
        except DisposalRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                f"{batch.submissions} submissions and {batch.files} files about "
                f"{review.reference} were disposed of. The disposal record stays.",
            )
            return redirect("evidence:retention")
    status = 400 if form.errors else 200
    ctx = {"review": review, "form": form, "retention": state}
    return render(request, "evidence/disposal.html", ctx, status=status)
