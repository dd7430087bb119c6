from django import forms
from django.utils import timezone

from recommendations.models import Rating, Review, Theme
from scr_tracker.accounts.models import Agency
from scr_tracker.govuk import GovukDateField, PastDateConfirmation
from scr_tracker.intake.forms import GuardedFormMixin
from scr_tracker.reporting.dashboard import NOT_RATED


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, its page and the "what changed since" date (GET)."""

    review = forms.ModelChoiceField(
        queryset=Review.objects.all(),
        required=False,
        empty_label="All reviews",
        error_messages={"invalid_choice": "Choose a review from the list."},
    )
    rating = forms.ChoiceField(
        choices=[("", "All ratings"), *Rating.choices, (NOT_RATED, "Not yet rated")],
        required=False,
        error_messages={"invalid_choice": "Choose a rating from the list."},
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        required=False,
        empty_label="All agencies",
        label="Agency with an action",
        error_messages={"invalid_choice": "Choose an agency from the list."},
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        empty_label="All themes",
        error_messages={"invalid_choice": "Choose a theme from the list."},
    )
    overdue = forms.BooleanField(required=False, label="Only overdue recommendations")
    since = forms.DateField(
        required=False,
        label="Show changes since",
        help_text="For example, 2026-10-01. Leave it blank for the last board meeting.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"class": "govuk-input--width-10", "type": "date"}
        ),
        error_messages={"invalid": "Enter the date as year-month-day, for example 2026-10-01."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = Review.objects.visible_to(user)

    def clean_since(self):
        value = self.cleaned_data["since"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date to show changes since must be today or earlier.")
        return value


class BoardPackForm(GuardedFormMixin, PastDateConfirmation, forms.Form):
    past_date_fields = ("board_date",)

    title = forms.CharField(
        label="Board meeting",
        help_text="For example, Executive board, June",
        max_length=200,
        error_messages={"required": "Name the board meeting."},
    )
    board_date = GovukDateField(
        label="Board date",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the board date."},
    )
    reviews = forms.ModelMultipleChoiceField(
        queryset=Review.objects.order_by("reference"),
        widget=forms.CheckboxSelectMultiple,
        label="Reviews in the pack",
        help_text="Choose one review, or several for one pack.",
        error_messages={
            "required": "Choose at least one review for the pack.",
            "invalid_choice": "Choose reviews from the list.",
            "invalid_pk_value": "Choose reviews from the list.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reviews = Review.objects.visible_to(user).order_by("reference")
        self.fields["reviews"].queryset = reviews
        if not self.is_bound and reviews.count() == 1:
            self.initial["reviews"] = list(reviews)
