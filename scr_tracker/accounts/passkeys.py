"""Passkeys (WebAuthn) as a second factor beside the authenticator app, with
django-otp-webauthn: never instead of the password (no passwordless sign-in).

Its ceremonies are its own views, under /accounts/webauthn/ (reachable before
the second factor, like the code page); here they also record the sign-in
events. A passkey set up as the first second factor comes with recovery codes,
as an app does (docs/sign-in.md)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.models import WebAuthnCredential

from scr_tracker.accounts import events
from scr_tracker.accounts.models import SignInEvent


class CompleteRegistration(webauthn.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            events.record(SignInEvent.Event.SECOND_FACTOR_SET, self.request, self.request.user)
        return response


class CompleteAuthentication(webauthn.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        super().complete_auth(device)
        events.record(SignInEvent.Event.SECOND_FACTOR_PASSED, self.request, device.user)


app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        webauthn.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


@login_required
@require_safe
def added(request):
    """Where the setup page goes once a passkey is registered: the first second
    factor brings recovery codes, shown once; a later passkey just says so."""
    from scr_tracker.accounts.two_factor import _new_recovery_codes, _next

    if not request.user.is_verified() or not has_passkey(request.user):
        return redirect("two_factor_setup")
    if StaticDevice.objects.filter(user=request.user).exists():
        messages.success(request, "Your passkey was added.")
        return redirect(_next(request))
    request.session["recovery_codes"] = _new_recovery_codes(request.user)
    return redirect_to_login(_next(request), reverse("two_factor_recovery_codes"))


def offered() -> bool:
    return settings.PASSKEYS_OFFERED
