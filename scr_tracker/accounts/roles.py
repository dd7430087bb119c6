"""The roles, declared once as data.

A role is a Django group. Its model permissions say what kind of thing a role may
do; which objects it may do it to is decided by the querysets (an agency user's
scope is their agency). ``sync_roles`` makes the groups match this declaration
exactly; it runs after every ``migrate`` and from ``manage.py sync_roles``.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import transaction

BUSINESS_MANAGER = "Business managers"
AGENCY_USER = "Agency users"
EXECUTIVE = "Executives"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    BUSINESS_MANAGER: {
        "accounts.view_agency",
        "accounts.add_agency",
        "accounts.change_agency",
        "recommendations.view_review",
        "recommendations.view_recommendation",
        "recommendations.change_recommendation",
        "recommendations.view_ratingdefinition",
        "recommendations.change_ratingdefinition",
        "recommendations.view_action",
        "recommendations.add_action",
        "recommendations.change_action",
        "evidence.view_submission",
        "evidence.change_submission",
        "evidence.view_submissionfile",
    },
    AGENCY_USER: {
        "recommendations.view_review",
        "recommendations.view_recommendation",
        "recommendations.view_ratingdefinition",
        "recommendations.view_action",
        "evidence.view_submission",
        "evidence.add_submission",
        "evidence.view_submissionfile",
        "evidence.add_submissionfile",
    },
    EXECUTIVE: {
        "accounts.view_agency",
        "recommendations.view_review",
        "recommendations.view_recommendation",
        "recommendations.view_ratingdefinition",
        "recommendations.view_action",
        "evidence.view_submission",
    },
}


def role_of(user) -> str | None:
    """The user's role name, or None for a user with no role (or an inactive one)."""
    if not user.is_authenticated or not user.is_active:
        return None
    # Remembered on the user object, which lives for one request (one query).
    role = getattr(user, "_role", _UNKNOWN)
    if role is _UNKNOWN:
        names = {group.name for group in user.groups.all()}
        role = user._role = next((r for r in ROLE_PERMISSIONS if r in names), None)
    return role


_UNKNOWN = object()


@transaction.atomic
def sync_roles(apps=global_apps, verbosity: int = 1) -> list[str]:
    """Create or correct the role groups; return a line per change made."""
    # Permissions are normally created by a post_migrate handler that may not
    # have run yet for every app; creating them here is idempotent.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    changes = []
    for role, wanted in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role)
        if created:
            changes.append(f"Created role group {role!r}")
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        current = set(group.permissions.all())
        if current != set(perms):
            group.permissions.set(perms)
            changes.append(f"Set {len(perms)} permissions on {role!r}")
    return changes


def sync_roles_after_migrate(app_config, verbosity=1, apps=global_apps, **kwargs):
    for line in sync_roles(apps=apps):
        if verbosity >= 1:
            print(line)


def is_business_manager(user) -> bool:
    return role_of(user) == BUSINESS_MANAGER


def is_executive(user) -> bool:
    return role_of(user) == EXECUTIVE


def agency_scope(user):
    """The agency id an agency user acts for, or None for every other user."""
    return user.agency_id if role_of(user) == AGENCY_USER else None
