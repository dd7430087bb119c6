"""Per-object grants, kept by django-guardian in direct foreign-key tables
(no text object ids, no orphans when an object goes: guardian G3, G4).

- ``ReviewGrant`` with ``view_review``: who may see a restricted review and
  everything under it, whatever their role.
- ``RecommendationGrant`` with ``lead_recommendation``: a named lead officer,
  of any agency, who may rate the recommendation and give its actions.

Grants are made and revoked in the tracker by people who may
``manage_people`` (recommendations/access_views.py), each with who and why in
its history; switching an account off revokes them. Only grants to people are
read: no group's grant and no global permission widens anyone's scope (G1).
"""

from django.db import models
from guardian.models import UserObjectPermissionBase

from scr_tracker.audit import AuditedHistory


class ReviewGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        "recommendations.Review", on_delete=models.CASCADE, related_name="grants"
    )

    history = AuditedHistory()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "access to a restricted review"


class RecommendationGrant(UserObjectPermissionBase):
    content_object = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.CASCADE, related_name="grants"
    )

    history = AuditedHistory()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "lead of a recommendation"
