from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("", views.submission_list, name="submission_list"),
    path("<int:pk>/", views.submission_detail, name="submission_detail"),
    path("<int:pk>/withdraw/", views.submission_withdraw, name="submission_withdraw"),
    path("<int:pk>/review/", views.submission_review, name="submission_review"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("access-log/", views.access_log, name="access_log"),
]
