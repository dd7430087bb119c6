from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"

    def ready(self):
        from evidence import access_log, closing, events, pages  # noqa: F401 (access_log: receivers)
        from recommendations import pages as recommendation_pages
        from recommendations import signals

        closing.connect()
        signals.signed_off.connect(
            lambda sender, recommendation, actor, **_: events.signed_off(recommendation, actor),
            dispatch_uid="tell-partners-signed-off",
            weak=False,
        )
        signals.sign_off_stale.connect(
            lambda sender, recommendation, actor, **_: events.sign_off_gone_stale(
                recommendation, actor
            ),
            dispatch_uid="tell-sign-off-stale",
            weak=False,
        )
        recommendation_pages.add_part("recommendation", pages.recommendation_evidence)
        recommendation_pages.add_part("recommendation", pages.recommendation_progress)
        recommendation_pages.add_part("recommendation", pages.impact_evidence)
        recommendation_pages.add_part("impact_form", pages.impact_form)
        recommendation_pages.add_part("my_actions", pages.open_requests)
