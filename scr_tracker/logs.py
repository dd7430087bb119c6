"""Logs as one JSON object per line, each carrying the request it belongs to.

``RequestContext`` (middleware) gives every request an id (the proxy's
``X-Request-ID`` when it is a plain token, otherwise a new one, echoed in the
response), and after the URL is resolved the route's name and the user's id.
``JsonFormatter`` adds those to every record logged while the request runs, and
the middleware logs one line per request: method, route name, status and time.

Never the path's query string, a form's content or an identifier: routes are
logged by name, people by their numeric id."""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.utils.log import log_response

_request: ContextVar = ContextVar("log_request", default=None)
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
requests_logger = logging.getLogger("scr_tracker.requests")


_make_record = logging.getLogRecordFactory()


def _record_with_request(*args, **kwargs):
    """Each record keeps the request it was logged in (formatted later or not)."""
    record = _make_record(*args, **kwargs)
    context = _request.get()
    record.request_context = dict(context) if context is not None else None
    return record


logging.setLogRecordFactory(_record_with_request)


class RefusalsInOneLine(logging.Filter):
    """A refusal (400, 403, 404, 405) is logged as one line, without the
    traceback of the exception that produced it: it is expected, not a fault."""

    def filter(self, record):
        if getattr(record, "status_code", None) in (400, 403, 404, 405):
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "request_context", None) or {})
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def current_request_id() -> str | None:
    context = _request.get()
    return context["request_id"] if context else None


class RequestContext:
    """Middleware: the request's id, route and user for every line it logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if _TOKEN.match(offered) else uuid.uuid4().hex
        context = {"request_id": request_id, "user_id": None, "route": None}
        token = _request.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if response.status_code >= 400:
                # Django logs refusals after the middleware has returned; log
                # them here instead, while the request's context is known.
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            requests_logger.info(
                "%s %s %s",
                request.method,
                context["route"] or "-",
                response.status_code,
                extra={
                    "fields": {
                        "method": request.method,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                },
            )
            return response
        finally:
            _request.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        context = _request.get()
        if context is not None:
            context["route"] = request.resolver_match.view_name
            user = getattr(request, "user", None)
            context["user_id"] = user.pk if user is not None and user.is_authenticated else None
