from django import forms

from evidence.models import Submission


class ReviewDecisionForm(forms.Form):
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
