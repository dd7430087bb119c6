"""What was typed survives the idle time-out.

A form sent after the session has expired is refused by the sign-in check,
so the person signs in again. Without this, what they typed would be lost.
Instead:

1. The middleware finds whose session it was (the expired session row still
   names them) and keeps the form's fields in the new, signed-out session:
   each value first passes the intake guard (an identifier is replaced by its
   "[removed: …]" mark, a value holding a restricted term is dropped), never
   a password, code, token or restricted-register field, never a file, and
   nothing from the sign-in, account or register pages.
2. The sign-in page says why they are there; afterwards they are returned to
   the page the form was on.
3. There, for the same person only, the kept values fill the form (as
   initial values, unsent: they check them and save again). The version of
   a versioned edit is the one they were editing, so someone else's change
   made meanwhile is a conflict, not overwritten. The values are used once.

Forms opt in by being guarded (intake.forms.GuardedFormMixin), as every
form that takes text is."""

import contextvars
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponseRedirect
from django.urls import reverse

KEPT = "_kept_input"
KEPT_MINUTES = 60
NEVER_KEPT = frozenset(
    {
        "csrfmiddlewaretoken",
        "password",
        "password1",
        "password2",
        "old_password",
        "new_password1",
        "new_password2",
        "code",
        "token",
        "otp_token",
        "term",
        "next",
    }
)
NOT_FROM = ("/accounts/", "/account/", "/restricted/", "/admin/")
MAX_VALUE = 20_000
MAX_TOTAL = 100_000

_for_this_request = contextvars.ContextVar("kept_input", default=None)

SIGNED_OUT = (
    "You were signed out after {minutes} minutes without activity, so what you sent was not "
    "saved. Sign in again: you will be taken back to the form, with what you typed kept."
)
RESTORED = (
    "You were signed out before this was saved. What you typed is back in the form below: "
    "check it, then save it again.{files}"
)
FILES_AGAIN = " Choose any files again: files are not kept."


def kept_values():
    """The kept values for the page being drawn ({field name: [values]}), or None."""
    return _for_this_request.get()


def _whose_expired_session(request):
    """The id of the person whose session this browser's cookie named, even
    though it has expired (read from the session row, never trusted from
    the browser), or None."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    model = request.session.__class__.get_model_class()
    row = model.objects.filter(session_key=key).values_list("session_data", flat=True).first()
    if row is None:
        return None
    return request.session.__class__().decode(row).get(SESSION_KEY)


def _guarded(post):
    """The fields worth keeping, each through the guard."""
    from scr_tracker.intake.forms import MARK
    from scr_tracker.intake.guard import text_problems
    from scr_tracker.intake.identifiers import RULE_LABELS

    kept, total = {}, 0
    for name in post:
        if name in NEVER_KEPT or name.endswith(("password", "-term")):
            continue
        values = []
        for value in post.getlist(name):
            if len(value) > MAX_VALUE:
                continue
            problems = text_problems(value, where="kept_input") if value else []
            if any(not problem.spans for problem in problems):
                continue  # a restricted term or document: nothing of it is kept
            marks = sorted(
                (span, RULE_LABELS[problem.rule]) for problem in problems for span in problem.spans
            )
            pieces, position = [], 0
            for (start, end), label in marks:
                if start >= position:
                    pieces.extend([value[position:start], MARK.format(label=label)])
                    position = end
            pieces.append(value[position:])
            values.append("".join(pieces))
        total += sum(len(v) for v in values)
        if values and total <= MAX_TOTAL:
            kept[name] = values
    return kept


def _return_to(request):
    """The page the form was on: the Referer when it is this site's, else the
    address posted to."""
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc == request.get_host() and referer.path.startswith("/"):
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return request.path


def keep_input_after_time_out(get_response):
    """Placed after authentication and messages."""

    def middleware(request):
        user = request.user
        if request.method == "POST" and not user.is_authenticated:
            response = get_response(request)
            login = reverse("login")
            if (
                isinstance(response, HttpResponseRedirect)
                and urlsplit(response.url).path == login
                and not request.path.startswith(NOT_FROM)
            ):
                return _keep(request, response, login)
            return response
        kept = request.session.get(KEPT) if user.is_authenticated else None
        if not kept or request.method != "GET" or request.get_full_path() != kept["path"]:
            return get_response(request)
        del request.session[KEPT]
        if kept["user"] != str(user.pk) or time.time() - kept["at"] > KEPT_MINUTES * 60:
            return get_response(request)
        messages.info(request, RESTORED.format(files=FILES_AGAIN if kept["files"] else ""))
        token = _for_this_request.set(kept["data"])
        try:
            return get_response(request)
        finally:
            _for_this_request.reset(token)

    return middleware


def _keep(request, response, login):
    whose = _whose_expired_session(request)
    if whose is None:
        return response
    back_to = _return_to(request)
    request.session[KEPT] = {
        "user": str(whose),
        "path": back_to,
        "data": _guarded(request.POST),
        "files": bool(request.FILES),
        "at": time.time(),
    }
    minutes = settings.SESSION_COOKIE_AGE // 60
    messages.info(request, SIGNED_OUT.format(minutes=minutes))
    return HttpResponseRedirect(f"{login}?{urlencode({'next': back_to})}")


def initial_for(form):
    """The kept values of ``form``'s fields (its prefix respected), as initial values."""
    kept = kept_values()
    if not kept:
        return {}
    found = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        widget = field.widget
        if hasattr(widget, "widgets"):  # a date's day, month and year boxes
            parts = widget.value_from_datadict(_QueryLike(kept), None, key)
            if any(parts):
                found[name] = parts
        elif key in kept:
            values = kept[key]
            multiple = getattr(widget, "allow_multiple_selected", False)
            found[name] = values if multiple else values[-1]
    return found


class _QueryLike(dict):
    """Kept values read as a QueryDict is (the last of each)."""

    def get(self, key, default=None):
        values = super().get(key)
        return values[-1] if values else default

    def getlist(self, key):
        return super().get(key, [])
