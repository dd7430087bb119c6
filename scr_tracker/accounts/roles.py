"""The roles: one per person, a field of the person (``User.role``).

What each role may do is declared in ``capabilities.py``; which objects it may
do it to is decided by the querysets (an agency user's scope is their agency).
"""

from scr_tracker.accounts.models import User

BUSINESS_MANAGER = User.Role.BUSINESS_MANAGER
AGENCY_USER = User.Role.AGENCY_USER
EXECUTIVE = User.Role.EXECUTIVE
ROLES = tuple(User.Role)


def role_of(user) -> str | None:
    """The user's role, or None for a user with no role (or an inactive one)."""
    if not user.is_authenticated or not user.is_active:
        return None
    return user.role or None


def is_business_manager(user) -> bool:
    return role_of(user) == BUSINESS_MANAGER


def is_executive(user) -> bool:
    return role_of(user) == EXECUTIVE


def agency_scope(user):
    """The agency id an agency user acts for, or None for every other user."""
    return user.agency_id if role_of(user) == AGENCY_USER else None
