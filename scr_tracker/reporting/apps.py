from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The dashboard, board packs, exports and the public summary: the one place
    that reads both wings (recommendations and evidence), and that neither reads."""

    name = "scr_tracker.reporting"
    label = "reporting"
    verbose_name = "Reporting"
