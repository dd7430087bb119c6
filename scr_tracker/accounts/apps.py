from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "scr_tracker.accounts"
    label = "accounts"
    verbose_name = "People and agencies"

    def ready(self):
        from scr_tracker.accounts import sessions, signals  # noqa: F401 (connects receivers)
        from scr_tracker.accounts.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, sender=self)
