from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from scr_tracker.accounts.models import Agency, SignedInSession, SignInEvent, User
from scr_tracker.admin import AuditedAdmin, ReadOnlyAdminMixin
from scr_tracker.audit import changes_by


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "is_statutory_partner"]
    search_fields = ["name", "short_name"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active"]
    list_filter = ["is_active", "role", "agency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Role and agency", {"fields": ["role", "agency", "expires_on"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: history must keep who made each change.
        return False

    def save_model(self, request, obj, form, change):
        with changes_by(request.user, "Changed in the admin (break-glass)"):
            super().save_model(request, obj, form, change)


@admin.register(SignedInSession)
class SignedInSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: where people are signed in. The session key, which would let
    its holder act as the person, is never shown."""

    list_display = ["user", "signed_in_at", "browser", "address"]
    exclude = ["session_key"]


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the sign-in events of the access log."""

    list_display = ["at", "event", "user", "address"]
    list_filter = ["event"]
