from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"

    def ready(self):
        from evidence import access_log, closing, pages  # noqa: F401 (access_log: receivers)
        from recommendations import pages as recommendation_pages

        closing.connect()
        recommendation_pages.add_part("recommendation", pages.recommendation_evidence)
        recommendation_pages.add_part("my_actions", pages.open_requests)
