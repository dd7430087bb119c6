from django.conf import settings
from django.shortcuts import render


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
