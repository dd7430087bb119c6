from django.urls import path

from evidence import access_log, progress_views, resubmit_views, retention_views, views
from evidence import notification_views as notes

app_name = "evidence"

urlpatterns = [
    path("", views.submission_list, name="submission_list"),
    path("new/", views.submission_create, name="submission_create"),
    path("held/", views.held_files, name="held_files"),
    path("files/<int:pk>/decision/", views.file_decision, name="file_decision"),
    path("<int:pk>/", views.submission_detail, name="submission_detail"),
    path("<int:pk>/withdraw/", views.submission_withdraw, name="submission_withdraw"),
    path("<int:pk>/send-again/", resubmit_views.send_again, name="send_again"),
    path("<int:pk>/review/", views.submission_review, name="submission_review"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("access-log/", access_log.access_log, name="access_log"),
    path("access-log/csv/", access_log.access_log_csv, name="access_log_csv"),
    path("actions/<int:pk>/progress/", progress_views.action_progress, name="action_progress"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("notifications/", notes.notification_list, name="notification_list"),
    path("notifications/read/", notes.notifications_read, name="notifications_read"),
    path("notifications/emails/", notes.notification_emails, name="notification_emails"),
    path("notifications/<int:pk>/", notes.notification_open, name="notification_open"),
    path("retention/", retention_views.retention, name="retention"),
    path("retention/<int:pk>/", retention_views.retention_edit, name="retention_edit"),
    path("retention/<int:pk>/dispose/", retention_views.disposal, name="disposal"),
]
