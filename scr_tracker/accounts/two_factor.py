"""The second factor (docs/sign-in.md): a one-time code from an authenticator
app (TOTP, django-otp), with single-use recovery codes for a lost phone.

Required for business managers, executives and anyone who can reach the admin;
for agency users too unless MFA_REQUIRED_FOR_AGENCY_USERS is off. A person who
must have one and has signed in with a password reaches nothing but setting it
up (the first time) or entering a code, and signing out."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from scr_tracker.accounts import events
from scr_tracker.accounts.models import SignInEvent
from scr_tracker.accounts.passkeys import has_passkey
from scr_tracker.accounts.roles import AGENCY_USER, role_of

RECOVERY_CODES = 10
# Reachable before the second factor: the two-factor pages, signing out, and
# what needs no sign-in at all.
OPEN_PREFIXES = ("/accounts/", "/static/", "/health/")


def required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    role = role_of(user)
    if role == AGENCY_USER:
        return settings.MFA_REQUIRED_FOR_AGENCY_USERS
    return role is not None


def has_device(user) -> bool:
    """An authenticator app or a passkey (recovery codes come with either)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists() or has_passkey(user)


def require_second_factor(get_response):
    """Middleware, after django-otp's: unverified people who must have a second
    factor are sent to set it up or to enter a code."""

    def middleware(request):
        user = request.user
        if required(user) and not user.is_verified() and not request.path.startswith(OPEN_PREFIXES):
            target = "two_factor_verify" if has_device(user) else "two_factor_setup"
            return redirect_to_login(request.get_full_path(), reverse(target))
        return get_response(request)

    return middleware


class CodeForm(forms.Form):
    """The code is checked against the person's devices and never stored, so
    it does not pass the identifier guard."""

    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your app shows now, or one of your recovery codes.",
        max_length=16,
        error_messages={"required": "Enter the code from your authenticator app."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


PENDING_KEY = "two_factor_pending_key"
PENDING_TRIES = "two_factor_pending_tries"
MAX_SETUP_TRIES = 5


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Set up an authenticator app: a QR code and the same key typed out. The
    key waits in the session until a code from it is entered; nothing is
    stored before that."""
    if has_device(request.user) and not request.user.is_verified():
        return redirect_to_login(_next(request), reverse("two_factor_verify"))
    key = request.session.get(PENDING_KEY)
    if key is None or request.session.get(PENDING_TRIES, 0) >= MAX_SETUP_TRIES:
        key = random_hex(20)
        request.session[PENDING_KEY], request.session[PENDING_TRIES] = key, 0
    pending = TOTPDevice(user=request.user, key=key, name="Authenticator app")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(pending.bin_key, pending.step, pending.t0, pending.digits)
        code = form.cleaned_data["code"]
        if code.isdigit() and totp.verify(int(code), tolerance=pending.tolerance):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user).delete()
                pending.confirmed, pending.last_t = True, totp.t()  # this code is used
                pending.save()
                codes = _new_recovery_codes(request.user)
            del request.session[PENDING_KEY]
            otp_login(request, pending)
            events.record(SignInEvent.Event.SECOND_FACTOR_SET, request, request.user)
            request.session["recovery_codes"] = codes
            return redirect_to_login(_next(request), reverse("two_factor_recovery_codes"))
        request.session[PENDING_TRIES] = request.session.get(PENDING_TRIES, 0) + 1
        form.add_error("code", "That code is not right. Enter the code your app shows now.")
    ctx = {
        "form": form,
        "qr": segno.make(pending.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": _grouped(b32encode(pending.bin_key).decode()),
        "next": _next(request),
        "passkeys": settings.PASSKEYS_OFFERED,
    }
    return render(
        request, "accounts/two_factor_setup.html", ctx, status=400 if form.errors else 200
    )


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
@require_http_methods(["GET", "HEAD"])
def recovery_codes(request):
    """The recovery codes, shown once, straight after setting up."""
    codes = request.session.pop("recovery_codes", None)
    if not codes:
        return redirect(_next(request))
    return render(
        request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": _next(request)}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """The code after the password: from the app, or a recovery code (once)."""
    if request.user.is_verified() or not has_device(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in [
            *TOTPDevice.objects.filter(user=request.user, confirmed=True),
            *StaticDevice.objects.filter(user=request.user, confirmed=True),
        ]:
            with transaction.atomic():
                locked = type(device).objects.select_for_update().get(pk=device.pk)
                if locked.verify_token(code):
                    otp_login(request, locked)
                    recovery = isinstance(locked, StaticDevice)
                    events.record(
                        SignInEvent.Event.RECOVERY_CODE_USED
                        if recovery
                        else SignInEvent.Event.SECOND_FACTOR_PASSED,
                        request,
                        request.user,
                    )
                    if recovery:
                        left = locked.token_set.count()
                        messages.warning(
                            request,
                            f"You used a recovery code; {left} are left. Set up your "
                            "authenticator app again if you have lost it.",
                        )
                    return redirect(_next(request))
        form.add_error(
            "code",
            "That code is not right, or was used already. Enter the code your app shows now.",
        )
    ctx = {
        "form": form,
        "next": _next(request),
        "has_app": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "has_passkey": has_passkey(request.user),
    }
    return render(
        request, "accounts/two_factor_verify.html", ctx, status=400 if form.errors else 200
    )
