from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from scr_tracker.audit import AuditedHistory


class Agency(models.Model):
    """A partner agency that is given actions and submits evidence."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, unique=True, help_text="Used in tables, e.g. “Police” or “ICB”."
    )
    is_statutory_partner = models.BooleanField(
        "statutory safeguarding partner",
        default=False,
        help_text="The local authority, the police and the integrated care board.",
    )

    history = AuditedHistory()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in: a business manager, an agency user or an executive.

    Accounts are deactivated, never deleted, so history keeps its "who". The
    role is a field of the person (one each), so every change of role, agency
    or state is in the person's history with who made it and why
    (docs/people.md); what a role may do is declared in accounts/capabilities.py.
    """

    class Role(models.TextChoices):
        BUSINESS_MANAGER = "business_manager", "Business manager"
        AGENCY_USER = "agency_user", "Agency user"
        EXECUTIVE = "executive", "Executive"

    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text="What the person does in the tracker. Blank: no role, so nothing to see.",
    )
    expires_on = models.DateField(
        "account expires on",
        null=True,
        blank=True,
        help_text="The daily command switches the account off after this date (e.g. a secondment).",
    )

    class Emails(models.TextChoices):
        EACH = "each", "As each thing happens"
        DAILY = "daily", "In one email a day"

    emails = models.CharField(
        "notification emails",
        max_length=10,
        choices=Emails.choices,
        default=Emails.EACH,
        help_text="How the person is emailed their notifications (they choose).",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=(
            "An agency user's agency, whose evidence they may see; an executive's agency "
            "when they sign off for a statutory partner."
        ),
    )

    # The password's hash is never copied into history; a save of only the
    # sign-in time or the password writes no history row (see AuditedHistory).
    history = AuditedHistory(
        excluded_fields=["password", "last_login"], quiet_fields={"last_login", "password"}
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["", "business_manager", "agency_user", "executive"]),
                name="user_role_known",
                violation_error_message="Choose a role from the list.",
            ),
            models.CheckConstraint(
                condition=~Q(role="agency_user") | Q(agency__isnull=False),
                name="user_agency_user_has_agency",
                violation_error_message="An agency user must belong to an agency.",
            ),
            models.CheckConstraint(
                condition=~Q(role="business_manager") | Q(agency__isnull=True),
                name="user_business_manager_has_no_agency",
                violation_error_message=(
                    "A business manager works for the partnership, not an agency: leave "
                    "the agency empty."
                ),
            ),
            # The system account acts for commands; it never belongs to an agency.
            models.CheckConstraint(
                condition=~Q(username="system") | Q(agency__isnull=True, is_superuser=False),
                name="system_user_has_no_agency_or_superuser",
                violation_error_message="The system account cannot belong to an agency.",
            ),
            # The admin is for break-glass superusers only: "staff" on anyone
            # else would open the admin's unscoped pages (docs/sign-in.md).
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(is_superuser=True),
                name="user_staff_only_superusers",
                violation_error_message=(
                    "Only break-glass superusers may use the admin: leave Staff status off "
                    "for everyone else."
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class SignedInSession(models.Model):
    """Where a person is signed in: one row per session, made at sign-in and
    removed at sign-out, so that "your sessions" can list them and end the
    others. Holds no secret: the session's key is Django's own row's key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()
    browser = models.CharField(max_length=200, blank=True, help_text="The browser's own name.")
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self):
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class SignInEvent(models.Model):
    """One sign-in event, for the access log: never a password, code or secret.
    A failed attempt names the account only when the username is one; a
    username that is no account (it may be a password typed in the wrong box)
    is not kept."""

    class Event(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in with a password"
        SSO_SIGNED_IN = "sso_signed_in", "Signed in with single sign-on"
        FAILED = "failed", "Failed sign-in"
        LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
        SIGNED_OUT = "signed_out", "Signed out"
        SECOND_FACTOR_SET = "second_factor_set", "Set up a second factor"
        SECOND_FACTOR_PASSED = "second_factor_passed", "Passed the second factor"
        RECOVERY_CODE_USED = "recovery_code_used", "Used a recovery code"
        SESSIONS_ENDED = "sessions_ended", "Signed out everywhere else"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
        UNLOCKED = "unlocked", "Sign-in unlocked by a manager"

    event = models.CharField(max_length=30, choices=Event.choices)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did it, when not the person themselves (a reset).",
    )
    reason = models.TextField(blank=True, help_text="Why, for a reset or an unlock.")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_event_display()} {self.at:%Y-%m-%d %H:%M}"
