"""Sessions people can see and end (docs/sign-in.md): each sign-in is listed on
"your sessions", where the others can be signed out at once; every session
ends after SESSION_ABSOLUTE_HOURS however active it is, besides the idle
time-out. A password change ends the other sessions (Django checks the
password's hash in each session); deactivating a person ends them all."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from scr_tracker.accounts.events import record
from scr_tracker.accounts.models import SignedInSession, SignInEvent
from scr_tracker.accounts.throttling import client_ip

SIGNED_IN_AT = "_signed_in_at"


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[SIGNED_IN_AT] = int(time.time())
    if request.session.session_key is None:
        request.session.save()
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "signed_in_at": timezone.now(),
            "browser": request.META.get("HTTP_USER_AGENT", "")[:200],
            "address": client_ip(request) or None,
        },
    )


@receiver(user_logged_out)
def forget_sign_in(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if user is not None and session is not None and session.session_key:
        SignedInSession.objects.filter(session_key=session.session_key).delete()


def end_at_absolute_lifetime(get_response):
    """Middleware, after authentication: a session older than
    SESSION_ABSOLUTE_HOURS is signed out, whatever its activity."""

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_HOURS * 3600
            if started is None:  # a session from before the limit: it counts from now
                request.session[SIGNED_IN_AT] = int(time.time())
            elif time.time() - started > limit:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out: a session lasts at most "
                    f"{settings.SESSION_ABSOLUTE_HOURS} hours. Sign in again.",
                )
                return redirect_to_login(request.get_full_path())
        return get_response(request)

    return middleware


def live_sessions(user):
    """The person's sign-ins whose sessions still exist and have not expired."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignedInSession.objects.filter(user=user, session_key__in=live)


@login_required
@require_safe
def your_sessions(request):
    ctx = {"sessions": live_sessions(request.user), "current": request.session.session_key}
    return render(request, "accounts/your_sessions.html", ctx)


@login_required
@require_POST
def end_other_sessions(request):
    current = request.session.session_key
    with transaction.atomic():
        others = SignedInSession.objects.filter(user=request.user).exclude(session_key=current)
        keys = list(others.values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=keys).delete()
        ended = others.delete()[0]
        record(SignInEvent.Event.SESSIONS_ENDED, request, request.user)
    messages.success(
        request,
        f"Signed out everywhere else ({ended} other session{'s' if ended != 1 else ''}).",
    )
    return redirect("your_sessions")
