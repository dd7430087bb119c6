"""The forms of the partnership's themes: a theme's name and what it covers,
and the themes one recommendation carries."""

from django import forms

from recommendations.concurrency import VersionedFormMixin
from recommendations.models import Theme
from scr_tracker.intake.forms import GuardedFormMixin


def themes_field(label, help_text):
    """Tick boxes of the partnership's themes."""
    return forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose themes from the list."},
    )


class ThemeForm(GuardedFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]
        labels = {"name": "Name", "description": "What it covers (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["version"]  # a new theme has no version to keep to
        self.fields["name"].error_messages["required"] = "Enter the theme's name."

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        same = Theme.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(
                f"There is already a theme called “{same.first().name}”. Use it, or choose "
                "another name."
            )
        return name


class RecommendationThemesForm(forms.Form):
    """The themes one recommendation carries (checkboxes). ``shown`` carries
    the themes the form was drawn with, so that saving changes only what this
    person ticked or unticked: a theme someone else gave meanwhile is kept."""

    themes = themes_field(
        "Themes", "Tick every theme the recommendation is about. Untick to take one away."
    )
    shown = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = {"themes": list(current), "shown": list(current)}
