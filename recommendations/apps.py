from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self):
        from recommendations import checks  # noqa: F401 (registers the start-up checks)
