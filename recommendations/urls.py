from django.urls import path

from recommendations import import_views, report_views, views

app_name = "recommendations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("ratings/", views.rating_definitions, name="rating_definitions"),
    path("ratings/<str:rating>/", views.rating_definition_edit, name="rating_definition_edit"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("<int:pk>/rating/", views.rating_change, name="rating_change"),
    path("<int:pk>/target-date/", views.target_date_change, name="target_date_change"),
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("<int:pk>/sign-off/", report_views.sign_off, name="sign_off"),
    path("<int:pk>/partner-sign-off/", report_views.partner_sign_off, name="partner_sign_off"),
    path("board/", report_views.snapshot_list, name="snapshot_list"),
    path("board/<int:pk>/", report_views.snapshot_report, name="snapshot_report"),
    path("board/<int:pk>/pdf/", report_views.snapshot_pdf, name="snapshot_pdf"),
    path("export.csv", report_views.export_csv, name="export_csv"),
    path("export.xlsx", report_views.export_xlsx, name="export_xlsx"),
    path("public-summary/", report_views.public_summary, name="public_summary"),
    path("import/", import_views.import_plan, name="import_plan"),
]
