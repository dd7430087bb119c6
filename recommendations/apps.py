from django.apps import AppConfig


def published_texts():
    """(text, sub-points) of every published recommendation, for the intake guard."""
    from recommendations.models import Recommendation

    return Recommendation.objects.values_list("text", "sub_points")


class RecommendationsConfig(AppConfig):
    name = "recommendations"

    def ready(self):
        from recommendations import access, checks  # noqa: F401 (start-up checks, receivers)
        from recommendations.models import hidden_review_ids_of_user
        from scr_tracker.accounts import sso

        sso.WITH_THE_USER["hidden_review_ids"] = hidden_review_ids_of_user()
        from scr_tracker.intake import guard

        guard.add_published_source(published_texts)
