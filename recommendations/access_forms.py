from django import forms

from scr_tracker.accounts.people import people_in_partnership
from scr_tracker.accounts.people_forms import reason_field
from scr_tracker.intake.forms import GuardedFormMixin


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person):
        where = person.agency.name if person.agency_id else "Partnership"
        return f"{person.get_full_name() or person.username} ({person.get_role_display()}, {where})"


class GrantForm(GuardedFormMixin, forms.Form):
    person = PersonChoice(
        queryset=people_in_partnership().none(),
        label="Person",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person to give access to.",
            "invalid_choice": "Choose a person from the list: only people whose account is on.",
        },
    )
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            people_in_partnership()
            .filter(is_active=True)
            .exclude(role="")
            .select_related("agency")
            .order_by("last_name", "first_name", "pk")
        )


class RestrictionForm(GuardedFormMixin, forms.Form):
    is_restricted = forms.TypedChoiceField(
        label="Who may see this review",
        choices=[
            ("False", "Everyone whose role lets them"),
            ("True", "Only the people given access to it (restricted)"),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who may see this review."},
    )
    reason = reason_field()


class RevokeForm(GuardedFormMixin, forms.Form):
    reason = reason_field()
