"""The idle time-out, said before it happens (the GOV.UK "timeout warning"
pattern): two minutes before a signed-in session would end, a dialog offers
to stay signed in. Without JavaScript there is no warning, and what was typed
is kept across the time-out instead (kept_input.py).

Every page says when its session ends (``session_expires_in``, in the page's
``data-`` attributes); asking again (``session_time``) is not activity, so
it does not keep the session alive, and another tab's activity is seen."""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from scr_tracker.middleware import REFRESHED


def seconds_left(request) -> int:
    """How long the signed-in session lasts without more activity, counting
    this request (the refresh middleware saves the session again when it was
    last saved a refresh interval or more ago)."""
    now = int(time.time())
    saved = request.session.get(REFRESHED, now)
    if now - saved >= settings.SESSION_REFRESH_SECONDS and not getattr(
        request, "not_activity", False
    ):
        saved = now
    return max(0, saved + settings.SESSION_COOKIE_AGE - now)


def context(request):
    """Template context: when the page's session ends, and when to warn."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    return {
        "session_expires_in": seconds_left(request),
        "session_minutes": settings.SESSION_COOKIE_AGE // 60,
        "time_out_warning": min(settings.SESSION_WARNING_SECONDS, settings.SESSION_COOKIE_AGE),
    }


@login_required
@require_safe
def session_time(request):
    request.not_activity = True  # asking is not using the tracker (middleware.py)
    return JsonResponse({"expires_in": seconds_left(request)})


@login_required
@require_POST
def stay_signed_in(request):
    request.session[REFRESHED] = int(time.time())  # saved: the expiry moves on
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
    return redirect(back if safe and back.startswith("/") else "home")
