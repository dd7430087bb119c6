"""Sign-in events into the access log (accounts.SignInEvent): sign-in, failure,
lockout, sign-out and the second factor. Never a password, code or secret."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from scr_tracker.accounts.models import SignInEvent
from scr_tracker.accounts.throttling import client_ip


def record(event, request=None, user=None):
    SignInEvent.objects.create(
        event=event,
        user=user if user is not None and user.pk else None,
        address=(client_ip(request) or None) if request is not None else None,
    )


def _account_named(credentials):
    username = (credentials or {}).get("username") or ""
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    sso = getattr(user, "backend", "").endswith("TrackerOIDCBackend")
    record(SignInEvent.Event.SSO_SIGNED_IN if sso else SignInEvent.Event.SIGNED_IN, request, user)


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    record(SignInEvent.Event.FAILED, request, _account_named(credentials))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(SignInEvent.Event.SIGNED_OUT, request, user)


def connect_lockouts():
    from axes.signals import user_locked_out

    def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
        user = get_user_model().objects.filter(username=username or "").first()
        record(SignInEvent.Event.LOCKED_OUT, request, user)

    user_locked_out.connect(_locked_out, dispatch_uid="sign-in-event-locked-out", weak=False)
