"""The health endpoint for load balancers and monitors.

It answers without signing in, so it says only "up" or "down" for each part the
tracker needs: the database, the evidence store, the shared cache, and ClamAV
when it is configured. Why a part is down goes to the log, never to the page."""

import logging
import os
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from evidence.models import evidence_storage
from scr_tracker.intake import clamd

logger = logging.getLogger(__name__)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _evidence_store():
    storage = evidence_storage()
    location = getattr(storage, "location", None)
    if location is not None:  # a file system: the folder is (or can be) there, writable
        os.makedirs(location, mode=0o700, exist_ok=True)
        return os.access(location, os.W_OK | os.X_OK)
    storage.exists("health-check-probe")  # any other backend: it answers
    return True


def _cache():
    key, value = "health-check", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    return cache.get(key) == value


def _clamav():
    return clamd.ping(settings.CLAMD_ADDRESS, timeout=2)


def components():
    """Each part's check, by the name the endpoint reports."""
    checks = {"database": _database, "evidence_store": _evidence_store, "cache": _cache}
    if settings.CLAMD_ADDRESS:
        checks["clamav"] = _clamav
    return checks


def check_all() -> dict[str, str]:
    states = {}
    for name, check in components().items():
        try:
            states[name] = "up" if check() else "down"
        except Exception as error:  # noqa: BLE001 (any failure is "down")
            logger.warning("health check failed: %s (%s)", name, type(error).__name__)
            states[name] = "down"
    return states


@never_cache
@require_safe
def health(request):
    states = check_all()
    up = all(state == "up" for state in states.values())
    return JsonResponse(
        {"status": "up" if up else "down", "components": states}, status=200 if up else 503
    )
