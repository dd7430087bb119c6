"""Rate before the board: every recommendation of one review on one page,
its rating and the reason for it, several changed at once.

Each changed row is a normal versioned edit in its own transaction (a
history row each, with its reason), so a row someone else changed since the
page was drawn is not saved over: the others are saved, and the page says
which one conflicted and shows it as it is now, with what was typed kept for
saving again. A row whose input is refused (no reason, an identifier) stops
the whole page, so that nothing is half-saved by mistake."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from recommendations.concurrency import Conflict, lock_current
from recommendations.models import Rating, Recommendation, Review
from recommendations.views import tell_if_sign_off_went_stale
from scr_tracker.accounts.capabilities import requires
from scr_tracker.audit import changes_by
from scr_tracker.govuk import error_anchor
from scr_tracker.intake.forms import GuardedFormMixin


class RatingRowForm(GuardedFormMixin, forms.Form):
    """One recommendation's row. The reason is asked for only when the
    rating changes (or to replace the reason alone)."""

    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    rating = forms.ChoiceField(
        label="Rating",
        choices=[(v, label) for v, label in Rating.choices if v != Rating.COMPLETE],
        error_messages={"required": "Choose a rating.", "invalid_choice": "Choose a rating."},
    )
    rating_rationale = forms.CharField(
        label="Why it has this rating now",
        help_text="Only if you change the rating, or its reason.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rec, **kwargs):
        super().__init__(*args, **kwargs)
        self.rec = rec
        fields = self.fields
        fields["rating"].label = f"Rating of recommendation {rec.number}"
        fields["rating_rationale"].label = f"Why recommendation {rec.number} has this rating now"

    @property
    def changed(self):
        cleaned = self.cleaned_data
        return cleaned["rating"] != self.rec.rating or bool(cleaned["rating_rationale"].strip())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        reason = cleaned["rating_rationale"].strip()
        if cleaned["rating"] != self.rec.rating and not reason:
            self.add_error(
                "rating_rationale",
                f"Say why recommendation {self.rec.number} is now "
                f"{Rating(cleaned['rating']).label}.",
            )
        elif reason and reason == (self.rec.rating_rationale or "").strip():
            self.add_error(
                "rating_rationale",
                f"Write a new reason for recommendation {self.rec.number}: this is the reason "
                "it has now.",
            )
        return cleaned


def _rows(review, user):
    """The review's recommendations the user may read, with their sign-off state."""
    return list(
        Recommendation.objects.visible_to(user)
        .filter(review=review)
        .select_related("review")
        .order_by("number")
    )


def _forms(recs, data=None):
    """One form per recommendation that can be rated here (not Complete: a
    signed-off recommendation changes on its own page)."""
    made = []
    for rec in recs:
        if rec.rating == Rating.COMPLETE:
            continue
        initial = {"recommendation": rec.pk, "version": rec.version, "rating": rec.rating}
        made.append(RatingRowForm(data, prefix=f"r{rec.pk}", initial=initial, rec=rec))
    return made


@login_required
@requires("rate")
def review_ratings(request, pk):
    review = get_object_or_404(Review.objects.visible_to(request.user), pk=pk)
    recs = _rows(review, request.user)
    if request.method != "POST":
        return _page(request, review, recs, _forms(recs))
    row_forms = _forms(recs, request.POST)
    if not all(form.is_valid() for form in row_forms):
        return _page(request, review, recs, row_forms, status=400)
    changed = [form for form in row_forms if form.changed]
    saved, conflicts = [], []
    for form in changed:
        try:
            saved.append(_save(form, request.user))
        except Conflict as conflict:
            conflicts.append(conflict.current)
    if not conflicts:
        if saved:
            numbers = ", ".join(str(rec.number) for rec in saved)
            messages.success(request, f"Saved: recommendation(s) {numbers}.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("recommendations:review_ratings", pk=review.pk)
    # The page again: saved rows as they are now, conflicted ones with what was
    # typed on their new version (saving again is a deliberate re-apply).
    recs = _rows(review, request.user)
    typed = {form.rec.pk: form.cleaned_data for form in changed}
    clashed = {rec.pk for rec in conflicts}
    redrawn = []
    for form in _forms(recs):
        if form.rec.pk in clashed:
            data = {
                f"{form.prefix}-{name}": value
                for name, value in typed[form.rec.pk].items()
                if name != "version"
            }
            data[f"{form.prefix}-version"] = form.rec.version
            form = RatingRowForm(data, prefix=form.prefix, rec=form.rec)
            form.is_valid()
        redrawn.append(form)
    return _page(
        request,
        review,
        recs,
        redrawn,
        status=409,
        saved=saved,
        conflicts=[rec for rec in recs if rec.pk in clashed],
    )


def _save(form, user):
    cleaned = form.cleaned_data
    with transaction.atomic():
        current = lock_current(Recommendation, form.rec.pk, cleaned["version"])
        reason = cleaned["rating_rationale"].strip()
        with changes_by(user, f"Rating changed: {reason}"):
            current.rating = cleaned["rating"]
            current.rating_rationale = reason
            current.updated_by = user
            current.version += 1
            current.save()
            tell_if_sign_off_went_stale(current, user)
    return current


def _page(request, review, recs, row_forms, status=200, saved=(), conflicts=()):
    by_rec = {form.rec.pk: form for form in row_forms}
    errors = [
        (
            form.rec.number,
            error,
            error_anchor(form[name]) if name in ("rating", "rating_rationale") else "",
        )
        for form in row_forms
        for name, field_errors in form.errors.items()
        for error in field_errors
    ]
    ctx = {
        "review": review,
        "rows": [(rec, by_rec.get(rec.pk)) for rec in recs],
        "errors": errors,
        "saved": saved,
        "conflicts": conflicts,
    }
    return render(request, "recommendations/review_ratings.html", ctx, status=status)
