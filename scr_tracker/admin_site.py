"""The Django admin as break-glass only: open to active superusers who have
passed the second factor, to nobody else, whatever their flags or groups."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class BreakGlassAdminSite(admin.AdminSite):
    site_header = "Recommendation tracker administration"
    site_title = "Recommendation tracker"

    def has_permission(self, request):
        user = request.user
        verified = getattr(user, "is_verified", None)
        return bool(user.is_active and user.is_superuser and verified is not None and verified())


class TrackerAdminConfig(AdminConfig):
    default_site = "scr_tracker.admin_site.BreakGlassAdminSite"

    def ready(self):
        super().ready()  # every app's admin module is loaded by now
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

        # Second-factor devices hold secrets: never shown or made in the admin.
        # A person sets their own up in the tracker.
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation):
            if admin.site.is_registered(model):
                admin.site.unregister(model)
