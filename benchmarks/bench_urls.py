from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


def empty(request):
    return HttpResponse(b"", content_type="text/plain")


urlpatterns = [
    path("bench/empty/", empty),
    path("bench/empty-signed-in/", login_required(empty)),
    path("", include("scr_tracker.urls")),
]
