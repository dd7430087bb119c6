"""Invitations: a new person chooses their own password from a link that works
once and expires (INVITE_DAYS). Nobody else ever chooses or sees it.

The link's token is Django's password-reset token with its own salt, so an
invitation cannot be used as a reset link or the other way round. It is made
from the person's (unusable) password hash, last sign-in and whether the
account is on: choosing a password, or switching the account off, spends it.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class InviteTokens(PasswordResetTokenGenerator):
    key_salt = "scr_tracker.accounts.invitations.InviteTokens"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            stamp, _ = token.split("-")
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        made = self._make_token_with_timestamp(user, timestamp, self.secret)
        if not constant_time_compare(made, token):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= settings.INVITE_DAYS * 24 * 60 * 60


invite_tokens = InviteTokens()


def invitation_link(person) -> str:
    """The link, on SITE_URL like every link the tracker emails."""
    path = reverse(
        "choose_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": invite_tokens.make_token(person),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(person) -> None:
    """Email the link. The email carries the service's name and the link only."""
    context = {
        "service_name": settings.SERVICE_NAME,
        "link": invitation_link(person),
        "days": settings.INVITE_DAYS,
        "username": person.username,
    }
    send_mail(
        subject=f"You have been invited to the {settings.SERVICE_NAME}",
        message=render_to_string("people/invitation_email.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )
