"""What each role may do, declared once (docs/people.md).

A capability is a verb of the tracker ("rate", "review_evidence"). This module
is the only place that says which role has which: views ask with ``@requires``,
templates with ``{% if request.user|can:"rate" %}``, code with ``can()``.
Django's model permissions are not used for roles (the admin is for break-glass
superusers only, who have every permission there).

Which objects a capability reaches is the querysets' business (``visible_to``):
an agency user who may ``submit_evidence`` sends it for their own agency's
actions only. A few capabilities can also be granted on one object to a person
whose role lacks them (``OBJECT_GRANTS``): a recommendation's lead officer may
``rate`` and ``assign_actions`` on the recommendations they lead.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE, role_of

# capability -> what it lets a person do (the refusal says it).
CAPABILITIES = {
    "view_dashboard": "see the dashboard of every recommendation",
    "view_board_packs": "read board packs and the public summary",
    "freeze_board_pack": "freeze a board pack",
    "rate": "change a recommendation's rating, rationale or target date",
    "assign_actions": "give actions to agencies or change them",
    "assure_actions": "assure an action without evidence",
    "review_evidence": "review evidence, or release or reject held files",
    "read_evidence_content": "open evidence files",
    "request_evidence": "ask agencies for evidence or cancel a request",
    "submit_evidence": "send evidence for an agency's actions",
    "post_progress": "post progress updates on an agency's actions",
    "challenge_progress": "challenge or question an agency's progress",
    "sign_off": "sign off a recommendation",
    "partner_sign_off": "sign off for a statutory partner",
    "import_plans": "import an action plan",
    "manage_reviews": "add and change reviews, their recommendations and the responses to them",
    "edit_rating_definitions": "change what the ratings mean",
    "manage_registers": "change the restricted registers",
    "manage_retention": "set retention or dispose of evidence",
    "read_access_log": "read the access log",
    "manage_people": "manage people, agencies and access",
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    BUSINESS_MANAGER: frozenset(
        {
            "view_dashboard",
            "view_board_packs",
            "freeze_board_pack",
            "rate",
            "assign_actions",
            "assure_actions",
            "review_evidence",
            "read_evidence_content",
            "request_evidence",
            "challenge_progress",
            "sign_off",
            "import_plans",
            "manage_reviews",
            "edit_rating_definitions",
            "manage_registers",
            "manage_retention",
            "read_access_log",
            "manage_people",
        }
    ),
    EXECUTIVE: frozenset({"view_dashboard", "view_board_packs", "partner_sign_off"}),
    AGENCY_USER: frozenset({"submit_evidence", "post_progress", "read_evidence_content"}),
}

# capability -> the object permission (app_label.codename) that grants it on
# one object, through django-guardian.
OBJECT_GRANTS = {
    "rate": "recommendations.lead_recommendation",
    "assign_actions": "recommendations.lead_recommendation",
}


def _check_known(capability):
    if capability not in CAPABILITIES:
        raise ValueError(f"{capability!r} is not a capability (see accounts/capabilities.py)")


def can(user, capability: str, obj=None) -> bool:
    """Whether ``user`` may ``capability``: by their role, or, given ``obj``, by a
    grant on that object. Inactive and signed-out people may do nothing."""
    _check_known(capability)
    if capability in ROLE_CAPABILITIES.get(role_of(user), ()):
        return True
    if obj is None or capability not in OBJECT_GRANTS or role_of(user) is None:
        return False
    return has_grant(user, OBJECT_GRANTS[capability], obj)


def has_grant(user, perm: str, obj) -> bool:
    """An object permission granted to the person themselves by name: never a
    global one, never a group's, never through superuser status (guardian G1,
    G7). Remembered on the user object, which lives for one request."""
    cache = getattr(user, "_grants", None)
    if cache is None:
        cache = user._grants = {}
    key = (perm, obj._meta.label, obj.pk)
    if key not in cache:
        from guardian.core import ObjectPermissionChecker

        codename = perm.split(".")[1]
        mine = ObjectPermissionChecker(user).get_user_perms(obj)
        cache[key] = not user.is_superuser and mine.filter(codename=codename).exists()
    return cache[key]


def refusal(capability: str) -> str:
    return f"Your role does not let you {CAPABILITIES[capability]}."


def requires(capability: str):
    """View decorator: signed-out people go to sign in; people whose role lacks
    ``capability`` are refused (403) before anything is looked up. Views of one
    object that a grant can open check ``can(user, capability, obj)`` themselves."""
    _check_known(capability)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, capability):
                raise PermissionDenied(refusal(capability))
            return view(request, *args, **kwargs)

        wrapped.capability = capability
        return wrapped

    return decorator


def require(user, capability: str, obj=None) -> None:
    """Refuse (403) unless ``can(user, capability, obj)``."""
    if not can(user, capability, obj):
        raise PermissionDenied(refusal(capability))
