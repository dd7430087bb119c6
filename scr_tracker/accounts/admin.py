from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from scr_tracker.accounts.models import Agency, SignedInSession, SignInEvent, User
from scr_tracker.admin import AuditedAdmin, ReadOnlyAdminMixin


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


# Second-factor devices hold secrets: never shown or made in the admin. A
# person sets their own up in the tracker.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


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
