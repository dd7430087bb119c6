from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from scr_tracker.accounts.models import Agency, User
from scr_tracker.admin import AuditedAdmin


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "is_statutory_partner"]
    search_fields = ["name", "short_name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["is_active", "groups", "agency"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Agency", {"fields": ["agency"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: history must keep who made each change.
        return False
