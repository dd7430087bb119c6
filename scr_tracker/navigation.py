"""The service navigation: the pages each role works from, in order. A page
whose view requires a capability (accounts/capabilities.py) is listed only for
people who have it, so the declaration decides the menu too."""

from functools import cache

from django.conf import settings
from django.urls import resolve, reverse

from scr_tracker.accounts.capabilities import can
from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE, role_of

# role -> (label, route name); the first is the role's home page.
PAGES = {
    BUSINESS_MANAGER: [
        ("Dashboard", "reporting:dashboard"),
        ("Evidence", "evidence:submission_list"),
        ("Requests", "evidence:request_list"),
        ("Board packs", "reporting:board_packs"),
        ("Held files", "evidence:held_files"),
        ("Restricted registers", "intake:register"),
        ("Access log", "evidence:access_log"),
        ("People", "people:people"),
        ("Retention", "evidence:retention"),
        ("Notifications", "evidence:notification_list"),
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
    # The current item is the longest URL that the path starts with.
    current = max((url for _, url, _ in items if request.path.startswith(url)), key=len, default="")
    return {
        "navigation": [(label, url, url == current, count) for label, url, count in items],
        "attention": attention(request) if attention is not None else [],
        **names,
    }
