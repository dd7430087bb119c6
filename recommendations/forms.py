import datetime

from django import forms
from django.utils import timezone

from recommendations.concurrency import VersionedFormMixin
from recommendations.models import Action, Rating, RatingDefinition, Recommendation, Review
from scr_tracker.accounts.models import Agency
from scr_tracker.govuk import GovukDateField
from scr_tracker.intake.forms import GuardedFormMixin

COMPLETE_BY_SIGN_OFF = (
    "Complete is recorded by signing the recommendation off, once every action's "
    "evidence is accepted. Choose Red, Amber or Green here."
)


class RatingForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    """A business manager's change of rating; the rationale is required.
    Complete is not offered: it comes only from a sign-off."""

    rating = forms.ChoiceField(
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating.", "invalid_choice": "Choose a rating."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = [(v, label) for v, label in Rating.choices if v != Rating.COMPLETE]
        self.fields["rating"].widget.choices = offered

    def clean_rating(self):
        value = self.cleaned_data["rating"]
        if value == Rating.COMPLETE:
            raise forms.ValidationError(COMPLETE_BY_SIGN_OFF)
        return value

    rating_rationale = forms.CharField(
        label="Why this rating",
        help_text="Say what the rating rests on: the evidence accepted, and what is still missing.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the recommendation has this rating."},
    )

    class Meta:
        model = Recommendation
        fields = ["rating", "rating_rationale"]


class TargetDateForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    """A new target date, with the reason for it; the first date is kept."""

    target_date = GovukDateField(
        label="New target date",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the new target date."},
    )
    reason = forms.CharField(
        label="Why the date is changing",
        help_text="This is shown in the recommendation's history and on the dashboard.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the target date is changing."},
    )

    class Meta:
        model = Recommendation
        fields = ["target_date"]

    def clean_target_date(self):
        value = self.cleaned_data["target_date"]
        if value is not None and value == self.instance.target_date:
            raise forms.ValidationError("That is already the target date. Enter a different date.")
        return value


class ActionForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    """What one agency must do for a recommendation, and by when."""

    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"),
        label="Agency",
        empty_label="Choose an agency",
        error_messages={
            "required": "Choose the agency that must do this.",
            "invalid_choice": "Choose one of the agencies in the list.",
        },
    )
    description = forms.CharField(
        label="What the agency must do, and what would show it is done",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what the agency must do."},
    )
    due_date = GovukDateField(label="Due date", help_text="For example, 27 3 2027", required=False)
    reason = forms.CharField(
        label="Why (recorded in the history)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you are making this change."},
    )

    class Meta:
        model = Action
        fields = ["agency", "description", "due_date", "state"]
        labels = {"state": "State"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new action starts not started; its state moves with its evidence.
            del self.fields["state"]
            del self.fields["version"]
            self.fields["reason"].required = False
        else:
            # Once evidence exists, the action stays with its agency.
            if self.instance.submissions.exists():
                self.fields["agency"].disabled = True
                self.fields[
                    "agency"
                ].help_text = "The agency has sent evidence for this action, so it cannot move."
        self.fields["description"].widget.attrs["rows"] = 4

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        changed = self.instance.pk is None or value != self.instance.due_date
        if value and changed and value < timezone.localdate() - datetime.timedelta(days=365):
            raise forms.ValidationError("The due date is more than a year ago. Check the year.")
        return value


class RatingDefinitionForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    definition = forms.CharField(
        label="What this rating means",
        help_text="Shown beside the ratings on the dashboard and every recommendation.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what this rating means."},
    )

    class Meta:
        model = RatingDefinition
        fields = ["definition"]


NOT_RATED = "none"


class DashboardFilterForm(forms.Form):
    """The dashboard's filters and the "what changed since" date (GET)."""

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
    overdue = forms.BooleanField(required=False, label="Only overdue recommendations")
    since = forms.DateField(
        required=False,
        label="Show changes since",
        help_text="For example, 2026-10-01",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the date as year-month-day, for example 2026-10-01."},
    )

    def clean_since(self):
        value = self.cleaned_data["since"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date to show changes since must be today or earlier.")
        return value


class SignOffForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example, the board meeting that agreed it.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Recommendation
        fields = []


class SnapshotForm(GuardedFormMixin, forms.Form):
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


class ImportForm(GuardedFormMixin, forms.ModelForm):
    """A new review, with its recommendations and actions from a spreadsheet."""

    spreadsheet = forms.FileField(
        label="Action plan spreadsheet",
        help_text=(
            "Excel (.xlsx) or CSV. A header row, then one row per action: Number, Short title, "
            "Recommendation, Agency, Action, Due date."
        ),
        error_messages={"required": "Choose the spreadsheet to import."},
    )

    class Meta:
        model = Review
        fields = [
            "reference",
            "title",
            "kind",
            "completed_year",
            "period_from_year",
            "period_to_year",
            "publication",
            "publication_reason",
        ]
