from django import forms
from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from evidence.models import AssuranceRequest, ProgressUpdate, Submission, SubmissionFile
from recommendations.models import Action
from scr_tracker.govuk import GovukDateField
from scr_tracker.intake.extract import ALLOWED_DESCRIPTION, Refused
from scr_tracker.intake.forms import GuardedFormMixin
from scr_tracker.intake.uploads import check_upload

NOT_YOUR_ACTION = "You can only submit evidence for recommendations assigned to your agency."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SubmissionForm(GuardedFormMixin, forms.Form):
    """An agency's evidence for one of its own actions. The agency is never a
    field: it is the signed-in user's, and the action must belong to it."""

    action = forms.ModelChoiceField(
        queryset=Action.objects.none(),
        label="Which action is this evidence for?",
        empty_label="Choose an action",
        error_messages={
            "required": "Choose the action this evidence is for.",
            "invalid_choice": NOT_YOUR_ACTION,
        },
    )
    summary = forms.CharField(
        label="What your agency did",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe what your agency did."},
    )
    impact = forms.CharField(
        label="What difference it made, and how you know",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe the impact, and how your agency knows."},
    )
    files = MultipleFileField(
        label="Files",
        help_text=(
            f"{ALLOWED_DESCRIPTION}. Up to {settings.EVIDENCE_MAX_FILES} files, "
            f"each up to {settings.EVIDENCE_MAX_FILE_BYTES // (1024 * 1024)} MB. "
            "Do not include anything that identifies a child."
        ),
        error_messages={
            "required": "Choose at least one file.",
            "empty": "One of the files is empty. Choose it again.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency = user.agency
        self.fields["action"].queryset = (
            Action.objects.visible_to(user)
            .filter(agency=agency)
            .select_related("recommendation__review")
            .order_by("recommendation__review__reference", "recommendation__number", "pk")
        )
        self.fields["action"].label_from_instance = _action_label
        self.checked_files = []

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > settings.EVIDENCE_MAX_FILES:
            raise forms.ValidationError(
                f"Send at most {settings.EVIDENCE_MAX_FILES} files at a time."
            )
        checked, errors = [], []
        for position, upload in enumerate(uploads, start=1):
            try:
                checked.append(check_upload(upload, position))
            except Refused as refusal:
                errors.append(str(refusal))
        if errors:
            raise forms.ValidationError(errors)
        seen = {}
        for position, item in enumerate(checked, start=1):
            if item.sha256 in seen:
                raise forms.ValidationError(
                    f"File {position} is the same as file {seen[item.sha256]}. Send it once."
                )
            seen[item.sha256] = position
        self.checked_files = checked
        return uploads

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action is not None and self.checked_files:
            self.refuse_repeats(action)
            self._refuse_over_quota()
        return cleaned

    def refuse_repeats(self, action) -> bool:
        """Add an error for each file already sent for ``action``; True if any."""
        earlier = SubmissionFile.objects.filter(
            submission__action=action,
            sha256__in=[c.sha256 for c in self.checked_files],
        ).exclude(submission__state=Submission.State.WITHDRAWN)
        for previous in earlier.select_related("submission"):
            position = [c.sha256 for c in self.checked_files].index(previous.sha256) + 1
            self.add_error(
                "files",
                f"File {position} was already sent for this action on "
                f"{previous.submission.submitted_at:%-d %B %Y}. Remove it from this submission.",
            )
        return bool(self.errors.get("files"))

    def _refuse_over_quota(self):
        used = SubmissionFile.objects.filter(submission__agency=self.agency).aggregate(
            files=Count("pk"), size=Sum("size", filter=~Q(state__in=SubmissionFile.GONE))
        )
        files = used["files"] + len(self.checked_files)
        size = (used["size"] or 0) + sum(len(c.data) for c in self.checked_files)
        if files > settings.AGENCY_QUOTA_FILES or size > settings.AGENCY_QUOTA_BYTES:
            self.add_error(
                "files",
                "Your agency has reached its storage allowance "
                f"({settings.AGENCY_QUOTA_FILES} files or "
                f"{settings.AGENCY_QUOTA_BYTES // (1024 * 1024)} MB). "
                "Ask the partnership's business manager to raise it.",
            )


def _action_label(action):
    rec = action.recommendation
    due = f" (due {action.due_date:%-d %B %Y})" if action.due_date else ""
    return f"{rec.review.reference} {rec.number}: {rec.short_title}{due}"


class ReviewDecisionForm(GuardedFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Submission.State.ACCEPTED, "Accept"),
            (Submission.State.RETURNED, "Return for more information"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or return the evidence."},
    )
    note = forms.CharField(
        label="Note to the agency",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Submission.State.RETURNED and not cleaned.get("note"):
            self.add_error("note", "Say what more the agency needs to send.")
        return cleaned


class FileDecisionForm(GuardedFormMixin, forms.Form):
    """A business manager's decision on a held file."""

    decision = forms.ChoiceField(
        choices=[
            ("release", "Release: I have checked it and it identifies no one"),
            ("reject", "Reject: delete its content"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to release or reject the file."},
    )
    note = forms.CharField(
        label="Note (recorded in the history and shown to the agency)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what you checked, or why the file is rejected."},
    )


class AssuranceRequestForm(GuardedFormMixin, forms.ModelForm):
    """A business manager asks an agency for evidence on one of its actions."""

    action = forms.ModelChoiceField(
        queryset=Action.objects.select_related("recommendation__review", "agency").order_by(
            "recommendation__review__reference", "recommendation__number", "agency__name"
        ),
        label="Which action",
        empty_label="Choose an action",
        error_messages={
            "required": "Choose the action the evidence is for.",
            "invalid_choice": "Choose an action from the list.",
        },
    )
    due_date = GovukDateField(
        label="Evidence due by",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date the evidence is due."},
    )
    good_evidence = forms.CharField(
        label="What good evidence would show",
        help_text="What the agency did, and the difference it made: say, an audit's findings.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what good evidence would show."},
    )

    class Meta:
        model = AssuranceRequest
        fields = ["action", "due_date", "good_evidence"]

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the chosen review's actions: the list stays short at any size.
        self.fields["action"].queryset = self.fields["action"].queryset.filter(
            recommendation__review=review
        )
        self.fields["action"].label_from_instance = lambda a: (
            f"{a.recommendation.review.reference} {a.recommendation.number}: "
            f"{a.agency.short_name}: {a.description[:60]}"
        )

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError("Evidence due by must be today or later.")
        return value


class ProgressForm(GuardedFormMixin, forms.Form):
    """An entry in an action's thread: an agency's update, or a manager's
    challenge or question (the label and hint are set by the view)."""

    text = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the entry before posting it."},
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["text"]
        if kind == ProgressUpdate.Kind.UPDATE:
            field.label = "Your progress update"
            field.help_text = (
                "What your agency has done or arranged since the last update, and what is next. "
                "For example: training booked for March; 40 of 60 staff trained."
            )
        else:
            field.label = "Your challenge or question"
            field.help_text = "What the agency should answer, show or explain."


class ResubmissionForm(SubmissionForm):
    """Returned evidence sent again: the same submission's next version. What
    it said is there to improve; files are added to those already sent."""

    def __init__(self, *args, user, submission, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["action"]
        self.submission = submission
        files = self.fields["files"]
        files.required = False
        files.label = "Files to add (optional)"
        files.help_text = "The files already sent stay with the evidence. " + files.help_text
        if not self.is_bound:
            self.initial.setdefault("summary", submission.summary)
            self.initial.setdefault("impact", submission.impact)

    def clean(self):
        cleaned = super().clean()
        if self.checked_files:
            self.refuse_repeats(self.submission.action)
            self._refuse_over_quota()
        unchanged = (
            cleaned.get("summary") == self.submission.summary
            and cleaned.get("impact") == self.submission.impact
            and not self.checked_files
        )
        if unchanged and not self.errors:
            self.add_error(
                "summary",
                "Nothing has changed. Answer the business manager's note: change what you "
                "wrote, or add a file, then send it again.",
            )
        return cleaned
