import datetime

from django import forms
from django.utils import timezone

from recommendations.concurrency import VersionedFormMixin
from recommendations.models import (
    HAND_STATES,
    Action,
    Impact,
    ImpactJudgement,
    Rating,
    RatingDefinition,
    Recommendation,
    Review,
    Theme,
)
from recommendations.theme_forms import themes_field
from scr_tracker.accounts.models import Agency
from scr_tracker.govuk import GovukDateField, PastDateConfirmation
from scr_tracker.intake.forms import GuardedFormMixin

COMPLETE_BY_SIGN_OFF = (
    "Complete is recorded by signing the recommendation off, once every action "
    "is assured. Choose Red, Amber or Green here."
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
        # The reason is written for this change: the one it had is shown for
        # reference (the page), never kept without a word (docs/decisions.md).
        self.previous_rationale = self.instance.rating_rationale if self.instance else ""
        if not self.is_bound and self.initial.get("rating_rationale") == self.previous_rationale:
            self.initial["rating_rationale"] = ""  # (text kept across a time-out stays)

    def clean(self):
        cleaned = super().clean()
        reason = (cleaned.get("rating_rationale") or "").strip()
        if reason and reason == (self.previous_rationale or "").strip():
            if cleaned.get("rating") != self.instance.rating:
                message = (
                    "Write why the recommendation has this rating now. The reason for its "
                    "rating before is shown above, for reference."
                )
            else:
                message = (
                    "Write a new reason, or go back: neither the rating nor the reason changed."
                )
            self.add_error("rating_rationale", message)
        return cleaned

    def clean_rating(self):
        value = self.cleaned_data["rating"]
        if value == Rating.COMPLETE:
            raise forms.ValidationError(COMPLETE_BY_SIGN_OFF)
        return value

    rating_rationale = forms.CharField(
        label="Why this rating",
        help_text=(
            "Say what the rating rests on now: the evidence accepted, and what is still missing."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the recommendation has this rating."},
    )

    class Meta:
        model = Recommendation
        fields = ["rating", "rating_rationale"]


class TargetDateForm(GuardedFormMixin, VersionedFormMixin, PastDateConfirmation, forms.ModelForm):
    """A new target date, with the reason for it; the first date is kept. A
    date in the past is asked about first."""

    past_date_fields = ("target_date",)

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


class ActionForm(GuardedFormMixin, VersionedFormMixin, PastDateConfirmation, forms.ModelForm):
    """What one agency must do for a recommendation, and by when (a due date
    in the past is asked about first)."""

    past_date_fields = ("due_date",)

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
            # Assured comes from accepted evidence or the "assured without
            # evidence" decision, never from this form.
            current = self.instance.state
            offered = [(v, label) for v, label in Action.State.choices if v in HAND_STATES]
            if current not in HAND_STATES:
                offered.insert(0, (current, Action.State(current).label))
            self.fields["state"].choices = offered
            self.fields["state"].help_text = (
                "Evidence moves the state on. To record an action as assured with no "
                "evidence, use “Assured without evidence” on the recommendation's page."
            )
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


class AssureWithoutEvidenceForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    """A business manager's explicit decision that an action is assured although
    no evidence was accepted for it; the reason is kept in the history and shown
    wherever the action's assurance is."""

    reason = forms.CharField(
        label="Why is this action assured without accepted evidence?",
        help_text="For example, what the partnership saw for itself. Shown on the sign-off "
        "page, the recommendation's page and the board pack.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the action is assured without evidence."},
    )

    class Meta:
        model = Action
        fields = []

    def clean(self):
        cleaned = super().clean()
        if self.instance.state == Action.State.ASSURED:
            raise forms.ValidationError("This action is already assured.")
        return cleaned


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


class ReviewForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    """A review's facts and its publication decision. There is no field for
    the report itself, by design: an unpublished report never enters."""

    class Meta:
        model = Review
        fields = [
            "reference",
            "title",
            "kind",
            "completed_year",
            "completed_on",
            "period_from_year",
            "period_to_year",
            "publication",
            "publication_reason",
            "recommendations_published_on",
        ]
        field_classes = {
            "completed_on": GovukDateField,
            "recommendations_published_on": GovukDateField,
        }
        labels = {
            "reference": "Reference",
            "title": "Title",
            "kind": "Kind of review",
            "completed_year": "Year the review was completed",
            "completed_on": "Date it was completed (if known)",
            "period_from_year": "Practice examined from (year)",
            "period_to_year": "Practice examined to (year)",
            "publication": "Was the report published?",
            "publication_reason": "Why it was or was not published",
            "recommendations_published_on": "Date the recommendations were published",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "publication": forms.RadioSelect,
            "publication_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]  # a new review has no version to keep to
        self.fields["publication_reason"].help_text = (
            "As the partnership stated it. Required when the report was not published. "
            "Never paste the report, or anything from it that is not published."
        )


RESPONSE_LABELS = {
    "response": "The partnership's response",
    "response_reason": "Why it was not fully accepted",
}
RESPONSE_WIDGETS = {
    "response": forms.RadioSelect,
    "response_reason": forms.Textarea(attrs={"rows": 3}),
}


class ResponseFieldsMixin:
    """The partnership's response, required, with a reason unless accepted."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        response = self.fields["response"]
        response.choices = Recommendation.Response.choices
        response.required = True
        response.error_messages["required"] = "Choose the partnership's response."
        self.fields["response_reason"].help_text = "Required unless it was accepted."

    def clean(self):
        cleaned = super().clean()
        response = cleaned.get("response")
        missing = not (cleaned.get("response_reason") or "").strip()
        if response and response != Recommendation.Response.ACCEPTED and missing:
            label = Recommendation.Response(response).label.lower()
            self.add_error("response_reason", f"Say why the recommendation was {label}.")
        return cleaned


class NewRecommendationForm(ResponseFieldsMixin, GuardedFormMixin, forms.ModelForm):
    """A published recommendation added by hand, with the partnership's response."""

    class Meta:
        model = Recommendation
        fields = ["number", "short_title", "text", "response", "response_reason"]
        labels = {
            "number": "Number",
            "short_title": "Short title",
            "text": "The published recommendation, word for word",
            **RESPONSE_LABELS,
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6}), **RESPONSE_WIDGETS}

    themes = themes_field(
        "Themes (optional)", "The partnership's themes this recommendation is about."
    )

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.review = review
        self.review = review
        if not Theme.objects.exists():
            del self.fields["themes"]

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number is not None and self.review.recommendations.filter(number=number).exists():
            raise forms.ValidationError(
                f"The review already has a recommendation with that number ({number}). "
                "Choose another number."
            )
        return number


class ResponseForm(ResponseFieldsMixin, GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    """The partnership's response to a recommendation, and why when not accepted."""

    class Meta:
        model = Recommendation
        fields = ["response", "response_reason"]
        labels = RESPONSE_LABELS
        widgets = RESPONSE_WIDGETS


class OutcomeForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    """What should be different, and how the partnership will know."""

    class Meta:
        model = Recommendation
        fields = ["intended_outcome", "outcome_measure"]
        labels = {
            "intended_outcome": "Intended outcome",
            "outcome_measure": "How it will be measured",
        }
        widgets = {
            "intended_outcome": forms.Textarea(attrs={"rows": 3}),
            "outcome_measure": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in (
            ("intended_outcome", "Say what should be different for children and families."),
            ("outcome_measure", "Say how the partnership will know."),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message


class ImpactForm(GuardedFormMixin, forms.ModelForm):
    """A business manager's judgement of the impact, at the impact review."""

    class Meta:
        model = ImpactJudgement
        fields = ["judgement", "narrative"]
        labels = {
            "judgement": "Is the intended outcome evidenced?",
            "narrative": "What it rests on",
        }
        widgets = {"judgement": forms.RadioSelect, "narrative": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, extra_fields=None, **kwargs):
        """``extra_fields``: what other apps add (the evidence app: the
        accepted evidence it may rest on; recommendations/pages.py)."""
        super().__init__(*args, **kwargs)
        self.fields.update(extra_fields or {})
        self.fields["judgement"].choices = Impact.choices
        self.fields["judgement"].error_messages["required"] = "Choose the impact judgement."
        self.fields["narrative"].error_messages["required"] = (
            "Say what the judgement rests on: the audit, the figures, what agencies reported."
        )
