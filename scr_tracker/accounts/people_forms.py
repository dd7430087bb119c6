"""Forms of the people pages: a business manager invites people, changes their
role or agency, switches accounts off and on, and keeps the list of agencies.
Every change asks why; the reason goes into the person's (or agency's) history.
No form here sets or shows a password: people choose their own from the
invitation's link."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from scr_tracker.accounts.models import Agency, User
from scr_tracker.govuk import GovukDateField
from scr_tracker.intake.forms import GuardedFormMixin

REASON_HELP = "Kept in the history with your name."


def reason_field(label="Why"):
    return forms.CharField(
        label=label,
        help_text=REASON_HELP,
        max_length=500,
        error_messages={"required": "Say why, for the history: for example, “Joined the team”."},
    )


class PersonForm(GuardedFormMixin, forms.ModelForm):
    """A person's name, email, role, agency and account expiry."""

    # Usernames and emails are how people sign in and are written to; the
    # guard's digit rules would refuse ordinary ones like "jsmith2".
    unguarded_fields = frozenset({"username", "email"})

    expires_on = GovukDateField(
        label="Account expires on (optional)",
        help_text=(
            "For a secondment or a fixed-term post: the account is switched off the day "
            "after. For example, 31 3 2027"
        ),
        required=False,
    )
    reason = reason_field()

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "agency", "expires_on"]
        labels = {"email": "Email address", "role": "Role"}
        help_texts = {
            "role": (
                "Business managers run the tracker; agency users send their agency's evidence; "
                "executives read the dashboard and sign off for a statutory partner."
            ),
            "agency": (
                "Required for agency users. For an executive, the statutory partner they "
                "sign off for. Leave empty for business managers."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email", "role"):
            self.fields[name].required = True
        self.fields["role"].choices = [("", "Choose a role"), *User.Role.choices]
        self.fields["agency"].queryset = Agency.objects.order_by("name")
        self.fields["agency"].empty_label = "No agency"
        self.fields["email"].error_messages["required"] = "Enter the person's work email address."
        self.fields["role"].error_messages["required"] = "Choose the person's role."

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                "Someone already has this email address: find them in the list instead."
            )
        return email

    def clean(self):
        cleaned = super().clean()
        role, agency = cleaned.get("role"), cleaned.get("agency")
        if role == User.Role.AGENCY_USER and agency is None:
            self.add_error("agency", "Choose the agency this agency user works for.")
        if role == User.Role.BUSINESS_MANAGER and agency is not None:
            self.add_error(
                "agency", "Business managers work for the partnership: choose “No agency”."
            )
        return cleaned


class InviteForm(PersonForm):
    reason = reason_field()

    class Meta(PersonForm.Meta):
        fields = ["first_name", "last_name", "email", "role", "agency", "expires_on"]

    def save(self, commit=True):
        person = super().save(commit=False)
        person.username = self.cleaned_data["email"]
        person.set_unusable_password()  # chosen by the person, from the invitation
        if commit:
            person.save()
        return person


class EditPersonForm(PersonForm):
    def has_changes(self):
        return any(name != "reason" for name in self.changed_data)


class AccountStateForm(GuardedFormMixin, forms.Form):
    """Switching an account off (a leaver) or on again."""

    reason = reason_field()


class AgencyForm(GuardedFormMixin, forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = Agency
        fields = ["name", "short_name", "is_statutory_partner"]
        labels = {"name": "Name", "short_name": "Short name"}


class ChoosePasswordForm(SetPasswordForm):
    """Choosing a password from an invitation's link. The hash is never copied
    into history; the save writes the password alone."""

    def save(self, commit=True):
        self.user.set_password(self.cleaned_data["new_password1"])
        if commit:
            self.user.save(update_fields=["password"])
        return self.user
