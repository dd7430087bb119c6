from django.contrib import admin

from scr_tracker.admin import ReadOnlyAdminMixin
from scr_tracker.reporting.models import BoardPack


@admin.register(BoardPack)
class BoardPackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Board packs are frozen: shown, never changed or deleted."""

    list_display = ["board_date", "title", "taken_by", "taken_at"]
    list_select_related = ["taken_by"]
