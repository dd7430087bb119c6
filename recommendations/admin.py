from django.contrib import admin

from recommendations.grants import RecommendationGrant, ReviewGrant
from recommendations.models import (
    Action,
    ImpactJudgement,
    RatingDefinition,
    Recommendation,
    RecommendationTheme,
    Repeat,
    Review,
    SignOff,
    Theme,
)
from scr_tracker.admin import AuditedAdmin, ReadOnlyAuditedAdmin


@admin.register(ReviewGrant, RecommendationGrant)
class GrantAdmin(ReadOnlyAuditedAdmin):
    """Read-only: grants are made and revoked in the tracker, with a reason."""

    list_display = ["content_object", "user", "permission"]
    list_select_related = ["content_object", "user", "permission"]


@admin.register(Review)
class ReviewAdmin(AuditedAdmin):
    list_display = ["reference", "title", "kind", "completed_year", "publication"]


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdmin):
    list_display = ["__str__", "short_title", "rating", "target_date", "updated_at"]
    list_filter = ["review", "rating"]
    list_select_related = ["review"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change:
            obj.version += 1  # an open edit form elsewhere is now stale; sign-offs too
        super().save_model(request, obj, form, change)


@admin.register(RatingDefinition)
class RatingDefinitionAdmin(AuditedAdmin):
    list_display = ["rating", "definition"]


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = ["__str__", "agency", "due_date", "state"]
    list_filter = ["state", "agency"]
    list_select_related = ["recommendation__review", "agency"]


@admin.register(SignOff)
class SignOffAdmin(ReadOnlyAuditedAdmin):
    """Sign-offs are recorded in the tracker, never edited."""

    list_display = ["__str__", "signed_by", "signed_at", "version"]
    list_select_related = ["recommendation__review", "signed_by"]


@admin.register(Repeat)
class RepeatAdmin(ReadOnlyAuditedAdmin):
    """Repeats are judged in the tracker (a recommendation's Repeats page)."""

    list_display = ["__str__", "decision", "similarity", "decided_by", "decided_at"]
    list_select_related = ["recommendation__review", "earlier__review", "decided_by"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAuditedAdmin):
    """Themes are kept in the tracker (Manage → Themes)."""

    list_display = ["name", "version"]


@admin.register(RecommendationTheme)
class RecommendationThemeAdmin(ReadOnlyAuditedAdmin):
    """Themes are given on a recommendation's page."""

    list_display = ["__str__", "added_by", "added_at"]
    list_select_related = ["recommendation__review", "theme", "added_by"]


@admin.register(ImpactJudgement)
class ImpactJudgementAdmin(ReadOnlyAuditedAdmin):
    """Impact is judged in the tracker (a recommendation's Judge link)."""

    list_display = ["__str__", "judgement", "judged_by", "judged_on"]
    list_select_related = ["recommendation__review", "judged_by"]
