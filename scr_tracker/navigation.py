"""The service navigation: the pages each role works from, in order. A page
whose view requires a capability (accounts/capabilities.py) is listed only for
people who have it, so the declaration decides the menu too."""

from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import resolve, reverse
from django.views.decorators.http import require_safe

from scr_tracker.accounts.capabilities import can
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE, role_of

# role -> (label, route name); the first is the role's home page.
PAGES = {
    BUSINESS_MANAGER: [
        ("Dashboard", "reporting:dashboard"),
        ("Evidence", "evidence:submission_list"),
        ("Requests", "evidence:request_list"),
        ("Held files", "evidence:held_files"),
        ("Board packs", "reporting:board_packs"),
        ("Notifications", "evidence:notification_list"),
        ("Manage", "manage"),
    ],
    EXECUTIVE: [
        ("Dashboard", "reporting:dashboard"),
        ("Evidence", "evidence:submission_list"),
        ("Board packs", "reporting:board_packs"),
        ("Notifications", "evidence:notification_list"),
    ],
    AGENCY_USER: [
        ("My agency's actions", "recommendations:my_actions"),
        ("Send evidence", "evidence:submission_create"),
        ("Evidence sent", "evidence:submission_list"),
        ("Requests", "evidence:request_list"),
        ("Notifications", "evidence:notification_list"),
    ],
}


# The pages that are not daily work, on one page of their own ("Manage"):
# (label, route name, what it is for). Each is listed only for people with
# the capability its view requires; the menu's "Manage" is current on them.
MANAGE = [
    (
        "Reviews",
        "recommendations:review_list",
        "Add a review, its recommendations and the partnership's responses.",
    ),
    (
        "Themes",
        "recommendations:theme_list",
        "The partnership's themes, such as information sharing, given to recommendations.",
    ),
    ("People", "people:people", "Invite people, change their role or agency, switch accounts off."),
    (
        "Agencies",
        "people:agencies",
        "The partnership's agencies, and which are statutory partners.",
    ),
    (
        "Access to restricted reviews",
        "recommendations:reviews_access",
        "Restrict a review to the people named, and see who may see each.",
    ),
    (
        "Restricted registers",
        "intake:register",
        "Names and documents that must never enter the tracker.",
    ),
    ("Access log", "evidence:access_log", "Who read, downloaded or exported what; every sign-in."),
    ("Retention and disposal", "evidence:retention", "How long each review's evidence is kept."),
    ("What the ratings mean", "recommendations:rating_definitions", "The ratings' definitions."),
    ("Import an action plan", "recommendations:import_plan", "A new review from a spreadsheet."),
]


def manage_pages_for(user):
    """(label, url, what it is for) of the Manage pages ``user`` may open."""
    return [
        (label, reverse(name), purpose)
        for label, name, purpose in MANAGE
        if _capability_of(name) is None or can(user, _capability_of(name))
    ]


# What waits for the person: per menu route, (count, what it means), and as
# the home pages' list. Set by the reporting app, which can read every wing
# (this module cannot import it); one query a request (reporting/attention.py).
menu_counts = None
attention = None


@cache
def _capability_of(route_name):
    return getattr(resolve(reverse(route_name)).func, "capability", None)


def pages_for(user):
    """(label, route name) of the pages ``user`` works from."""
    return [
        (label, name)
        for label, name in PAGES.get(role_of(user), [])
        if _capability_of(name) is None or can(user, _capability_of(name))
    ]


def home_route(user):
    pages = pages_for(user)
    return pages[0][1] if pages else None


def navigation(request):
    """Template context: ``navigation``, a list of (label, url, is_current), and
    the service's and partnership's names."""
    names = {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "sso_provider": settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else "",
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], **names}
    pages = pages_for(user)
    counts = menu_counts(request) if menu_counts is not None else {}
    items = [(label, reverse(name), counts.get(name)) for label, name in pages]
    # The current item is the one whose URL (or, for Manage, one of its
    # pages' URLs) is the longest that the path starts with.
    manage_url = next((url for label, url, _ in items if label == "Manage"), None)
    prefixes = [(url, url) for _, url, _ in items]
    if manage_url:
        prefixes += [(reverse(name), manage_url) for _, name, _ in MANAGE]
    matched = [(len(prefix), url) for prefix, url in prefixes if request.path.startswith(prefix)]
    current = max(matched)[1] if matched else ""
    return {
        "navigation": [(label, url, url == current, count) for label, url, count in items],
        "attention": attention(request) if attention is not None else [],
        **names,
    }


@login_required
@require_safe
def manage(request):
    """The pages that are not daily work, each with what it is for."""
    pages = manage_pages_for(request.user)
    if not pages:
        raise PermissionDenied("There is nothing here for you to manage.")
    return render(request, "manage.html", {"pages": pages})
