from django.urls import path

from scr_tracker.operations.health import health

urlpatterns = [path("health/", health, name="health")]
