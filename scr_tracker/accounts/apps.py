from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "scr_tracker.accounts"
    label = "accounts"
    verbose_name = "People and agencies"

    def ready(self):
        from scr_tracker.accounts import events, sessions, signals  # noqa: F401 (receivers)

        events.connect_lockouts()
        from scr_tracker.accounts.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self)
