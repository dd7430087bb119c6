from django import forms
from django.utils import timezone

from recommendations.models import Review
from scr_tracker.govuk import GovukDateField
from scr_tracker.intake.forms import GuardedFormMixin


class RetentionForm(GuardedFormMixin, forms.ModelForm):
    """A review's retention: when it closed, how long its evidence is kept,
    and a legal hold. Every change is kept in the review's history with why."""

    closed_on = GovukDateField(
        label="Date the review closed",
        help_text="Leave blank while the work on it continues. For example, 27 3 2026",
        required=False,
    )
    retention_years = forms.IntegerField(
        label="Years to keep its evidence after it closed",
        help_text="Leave blank for the partnership's default.",
        required=False,
        min_value=1,
        max_value=100,
        error_messages={
            "invalid": "Years to keep must be a whole number, like 6.",
            "min_value": "Keep evidence for at least 1 year after the review closed.",
            "max_value": "Years to keep must be 100 or fewer.",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    legal_hold_reason = forms.CharField(
        label="Legal hold",
        help_text=(
            "Why none of this review's evidence may be disposed of: for example, an inquiry's "
            "request to keep records, or a claim. Leave blank when there is no hold."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Why you are making this change",
        help_text="Kept in the review's history.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you are changing the review's retention."},
    )

    class Meta:
        model = Review
        fields = ["closed_on", "retention_years", "legal_hold_reason"]

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("Date the review closed must be today or in the past.")
        return value

    def has_changes(self) -> bool:
        return bool(self.changed_data)


class DisposalForm(GuardedFormMixin, forms.Form):
    """A business manager's approval of a disposal batch."""

    note = forms.CharField(
        label="Why you are approving this disposal",
        help_text="For example, the retention schedule's review date and who agreed it.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you are approving this disposal."},
    )
    confirm = forms.BooleanField(
        label="I understand that the narratives and files are deleted for good",
        error_messages={"required": "Confirm that you understand the disposal cannot be undone."},
    )
