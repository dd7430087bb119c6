from django.urls import path

from scr_tracker.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.register, name="register"),
    path("terms/add/", views.term_add, name="term_add"),
    path("terms/<int:pk>/remove/", views.term_remove, name="term_remove"),
    path("documents/add/", views.document_add, name="document_add"),
    path("documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
]
