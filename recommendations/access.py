"""Making and revoking the per-object grants (recommendations/grants.py), each
in one transaction with who and why in the grant's history; and revoking a
person's grants when their account is switched off."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import receiver

from recommendations.grants import RecommendationGrant, ReviewGrant
from recommendations.models import Recommendation, Review
from scr_tracker.accounts.people import account_switched_off
from scr_tracker.audit import changes_by

# model of the object -> (grant table, the permission it grants)
GRANTS = {
    Review: (ReviewGrant, "view_review"),
    Recommendation: (RecommendationGrant, "lead_recommendation"),
}


def _permission(model, codename):
    return Permission.objects.get(
        content_type=ContentType.objects.get_for_model(model), codename=codename
    )


def grants_of(obj):
    """The grants on ``obj``, with their people, by name."""
    table, codename = GRANTS[type(obj)]
    return (
        table.objects.filter(content_object=obj, permission__codename=codename)
        .select_related("user__agency")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def grant_history(obj):
    """Every grant on ``obj`` given or taken away, newest first, with who and why."""
    table, _ = GRANTS[type(obj)]
    return (
        table.history.filter(content_object_id=obj.pk)
        .exclude(history_type="~")
        .select_related("history_user", "user__agency")
        .order_by("-history_date", "-history_id")[:50]
    )


def grant(obj, person, by, reason):
    """Grant ``person`` the permission on ``obj``; False if they already had it."""
    table, codename = GRANTS[type(obj)]
    with transaction.atomic(), changes_by(by, reason):
        _, made = table.objects.get_or_create(
            user=person, permission=_permission(type(obj), codename), content_object=obj
        )
    return made


def revoke(found, by, reason):
    with transaction.atomic(), changes_by(by, reason):
        found.delete()


@receiver(account_switched_off)
def revoke_everything_granted(sender, person, **kwargs):
    """Runs inside the switch-off's transaction and audit context."""
    for table, _ in GRANTS.values():
        for found in table.objects.filter(user=person):
            found.delete()


def orphan_grants():
    """Grants that give nothing or should not be held: to people whose account
    is off or who have no role, and to a review that is no longer restricted."""
    found = []
    for table, _ in GRANTS.values():
        held = table.objects.select_related("user", "content_object")
        for row in held.filter(user__is_active=False) | held.filter(user__role=""):
            found.append((row, "the person's account is off or has no role"))
    for row in ReviewGrant.objects.filter(content_object__is_restricted=False).select_related(
        "user", "content_object"
    ):
        found.append((row, "the review is no longer restricted"))
    return found
