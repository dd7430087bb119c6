"""What a business manager does when someone cannot sign in: reset a lost
second factor (they set up a new one at their next sign-in, and every session
they have ends), or lift a lock-out after too many failed sign-ins. Each is a
sign-in event in the access log with who did it and why."""

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from scr_tracker.accounts.models import SignInEvent
from scr_tracker.accounts.signals import end_sessions


def reset_second_factor(person, by, reason: str) -> tuple[int, int]:
    """(device records removed, sessions ended)."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=person).delete()[0]
        removed += StaticDevice.objects.filter(user=person).delete()[0]
        removed += WebAuthnCredential.objects.filter(user=person).delete()[0]
        SignInEvent.objects.create(
            event=SignInEvent.Event.SECOND_FACTOR_RESET, user=person, by=by, reason=reason
        )
    return removed, end_sessions(person)


def is_locked_out(person) -> bool:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=person.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


def unlock(person, by, reason: str) -> int:
    """Forget the person's failed sign-ins (by username); how many were kept."""
    from axes.utils import reset

    with transaction.atomic():
        count = reset(username=person.username)
        SignInEvent.objects.create(
            event=SignInEvent.Event.UNLOCKED, user=person, by=by, reason=reason
        )
    return count
