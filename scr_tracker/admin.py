"""The admin base class every tracked model uses: history and a reason for
every change. Object permissions (django-guardian grants) are made in the
tracker only, where each has who and why in its history.

The admin is for break-glass administration; day-to-day work happens in the
tracker's own pages. History in the admin is read-only (no revert).
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from scr_tracker.audit import changes_by
from scr_tracker.intake.forms import GuardedFormMixin


class ChangeReasonForm(GuardedFormMixin, forms.ModelForm):
    """Every admin form: a reason for the change, and the guard over every text."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=500,
        help_text="Recorded in the history with your name.",
    )


class AuditedAdmin(SimpleHistoryAdmin):
    form = ChangeReasonForm

    def save_model(self, request, obj, form, change):
        with changes_by(request.user, f"Admin: {form.cleaned_data['change_reason']}"):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with changes_by(request.user, "Admin: deleted"):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with changes_by(request.user, "Admin: deleted"):
            for obj in queryset:
                obj.delete()


class ReadOnlyAdminMixin:
    """Shown in the admin, never added, changed or deleted there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAuditedAdmin(ReadOnlyAdminMixin, AuditedAdmin):
    """For records that are only created through the tracker's checked intake."""


admin.site.empty_value_display = "–"
