"""Reporting pages. Their paths sit under /recommendations/, where the
dashboard has always been."""

from django.urls import path

from scr_tracker.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("board/", views.board_packs, name="board_packs"),
    path("board/<int:pk>/", views.board_pack, name="board_pack"),
    path("board/<int:pk>/pdf/", views.board_pack_pdf, name="board_pack_pdf"),
    path("board/<int:pk>/xlsx/", views.board_pack_xlsx, name="board_pack_xlsx"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("public-summary/", views.public_summary, name="public_summary"),
]
