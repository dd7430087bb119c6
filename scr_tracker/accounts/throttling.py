"""Throttling of sign-in and password reset (docs/sign-in.md).

Sign-in is throttled by django-axes, counted in the database so that every app
server sees the same counts: after SIGN_IN_FAILURE_LIMIT failures for one
username, or from one address, sign-in is refused for SIGN_IN_COOLOFF_MINUTES,
with the same message whether or not the account exists. Password reset
requests are counted in the shared cache, per address."""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

RESETS_PER_WINDOW = 5
RESET_WINDOW_SECONDS = 15 * 60


def client_ip(request):
    """The client's address: behind the TLS proxy, the last hop it added to
    X-Forwarded-For (the part a client cannot forge); otherwise REMOTE_ADDR."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, original_response=None, credentials=None):
    """The lockout page: the same for every username, existing or not."""
    context = {"what": "failed sign-in attempts", "minutes": settings.SIGN_IN_COOLOFF_MINUTES}
    return render(request, "registration/locked_out.html", context, status=429)


def throttled_password_reset(view):
    """At most RESETS_PER_WINDOW reset requests (forms sent with an address)
    per client address per window; then a 429 that says when to try again (and
    reveals nothing about any account)."""

    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("email", "").strip():
            key = f"password-reset:{client_ip(request)}"
            cache.add(key, 0, RESET_WINDOW_SECONDS)
            if cache.incr(key) > RESETS_PER_WINDOW:
                return render(
                    request,
                    "registration/locked_out.html",
                    {"what": "password reset requests", "minutes": RESET_WINDOW_SECONDS // 60},
                    status=429,
                )
        return view(request, *args, **kwargs)

    return wrapper
