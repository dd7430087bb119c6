from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The dashboard, board packs, exports and the public summary: the one place
    that reads both wings (recommendations and evidence), and that neither reads."""

    name = "scr_tracker.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from scr_tracker import navigation
        from scr_tracker.reporting import attention

        navigation.menu_counts = attention.menu_counts
        navigation.attention = attention.on_page
