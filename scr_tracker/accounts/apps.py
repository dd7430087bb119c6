from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scr_tracker.accounts"
    label = "accounts"
    verbose_name = "People and agencies"

    def ready(self):
        from scr_tracker.accounts import events, sessions, signals  # noqa: F401 (receivers)

        events.connect_lockouts()
