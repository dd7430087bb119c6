import time

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control

# Nothing the tracker does needs these; a page cannot ask for them either.
# Passkeys (WebAuthn) are the tracker's own, never a framed page's.
PERMISSIONS_POLICY = ", ".join(
    [
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
    + [
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "payment",
            "usb",
        )
    ]
)


def private_and_limited(get_response):
    """Every response to a signed-in person is private and never stored by the
    browser or a proxy (a shared office PC keeps nothing after sign-out); every
    response refuses the browser features the tracker never uses."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or settings.SESSION_COOKIE_NAME in (
            response.cookies
        ):
            patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def refuse_oversized_requests(get_response):
    """413 before the body is read when it is larger than every allowed file
    together (the proxy in front should enforce the same limit)."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit_mb = settings.EVIDENCE_MAX_FILE_BYTES // (1024 * 1024)
            context = {"limit_mb": limit_mb, "max_files": settings.EVIDENCE_MAX_FILES}
            return render(request, "413.html", context, status=413)
        return get_response(request)

    return middleware


REFRESHED = "_refreshed_at"


def refresh_sessions_once_a_minute(get_response):
    """The idle time-out without a database write on every request: a signed-in
    session is saved again (so its expiry moves on) when it was last saved a
    minute or more ago, or when the request changed it anyway. The time-out is
    then exact to within SESSION_REFRESH_SECONDS, on the early side.
    Placed after SessionMiddleware, so that it runs before the session is saved."""

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated or session.is_empty():
            return response
        if getattr(request, "not_activity", False):
            return response  # asking when the session ends does not extend it
        now = int(time.time())
        if session.modified or now - session.get(REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED] = now
        return response

    return middleware
