from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "scr_tracker.intake"
    label = "intake"
    verbose_name = "Intake checks"

    def ready(self):
        from scr_tracker.intake import backstop, checks  # noqa: F401 (checks register)

        backstop.connect()
