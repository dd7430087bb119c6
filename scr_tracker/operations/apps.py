from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "scr_tracker.operations"
    label = "operations"
    verbose_name = "Operations"
