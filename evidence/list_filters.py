"""The filters of the long lists (evidence, requests, held files): state,
agency, review and dates sent or due. Every choice is taken from what the
person may see; a filter they cannot use is not offered (an agency user's
agency is their own)."""

from urllib.parse import urlencode

from django import forms

from recommendations.models import Review
from scr_tracker.accounts.models import Agency
from scr_tracker.accounts.roles import AGENCY_USER, role_of
from scr_tracker.govuk import GovukDateField


class ListFilter(forms.Form):
    state = forms.ChoiceField(label="State", required=False)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="Every agency"
    )
    review = forms.ModelChoiceField(
        label="Review", queryset=Review.objects.none(), required=False, empty_label="Every review"
    )
    since = GovukDateField(label="From", help_text="For example, 1 4 2027", required=False)
    until = GovukDateField(label="To", required=False)

    def __init__(self, data, *, user, states, dated="sent"):
        super().__init__(data)
        if states:
            self.fields["state"].choices = [("", "Any state"), *states]
        else:
            del self.fields["state"]
        self.fields["review"].queryset = Review.objects.visible_to(user).order_by("reference")
        if role_of(user) == AGENCY_USER:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = Agency.objects.order_by("name")
        self.fields["since"].label = f"{dated.capitalize()} from"
        self.fields["until"].label = f"{dated.capitalize()} to"

    def apply(self, rows, *, agency="agency", review, date):
        """``rows`` narrowed by what was chosen (nothing when the form is invalid)."""
        if not self.is_valid():
            return rows
        chosen = self.cleaned_data
        if chosen.get("state"):
            rows = rows.filter(state=chosen["state"])
        if chosen.get("agency"):
            rows = rows.filter(**{agency: chosen["agency"]})
        if chosen.get("review"):
            rows = rows.filter(**{review: chosen["review"]})
        if chosen.get("since"):
            rows = rows.filter(**{f"{date}__gte": chosen["since"]})
        if chosen.get("until"):
            rows = rows.filter(**{f"{date}__lte": chosen["until"]})
        return rows

    @property
    def active(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)

    def query(self) -> str:
        """The chosen filters as a query string, for the pages' links."""
        if not self.is_valid():
            return ""
        kept = {
            key: value
            for key, value in self.data.items()
            if key != "page" and value and key.split("_")[0] in self.fields
        }
        return urlencode(sorted(kept.items()))
