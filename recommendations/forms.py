from django import forms

from recommendations.models import Rating, Recommendation
from scr_tracker.intake.forms import GuardedFormMixin


class RatingForm(GuardedFormMixin, forms.ModelForm):
    """A business manager's change of rating; the rationale is required."""

    rating = forms.ChoiceField(
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating.", "invalid_choice": "Choose a rating."},
    )
    rating_rationale = forms.CharField(
        label="Why this rating",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the recommendation has this rating."},
    )

    class Meta:
        model = Recommendation
        fields = ["rating", "rating_rationale"]
