from django.contrib import admin

from evidence.models import (
    AccessLog,
    AssuranceRequest,
    DisposalBatch,
    DisposalRecord,
    ImpactEvidence,
    Notification,
    ProgressUpdate,
    Submission,
    SubmissionFile,
)
from scr_tracker.admin import ReadOnlyAdminMixin, ReadOnlyAuditedAdmin


# Evidence enters only through the tracker's upload form, where every file and
# text is checked; the admin shows it and its history but cannot add or alter it.
@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAuditedAdmin):
    list_display = ["__str__", "agency", "state", "submitted_at"]
    list_filter = ["state", "agency"]
    list_select_related = ["action__recommendation__review", "action__agency", "agency"]


@admin.register(SubmissionFile)
class SubmissionFileAdmin(ReadOnlyAuditedAdmin):
    list_display = ["original_name", "submission", "size", "sha256"]
    list_select_related = ["submission__action__recommendation__review"]
    exclude = ["file"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is written by the tracker and never edited."""

    list_display = ["at", "user", "event", "submission_id", "file_id"]
    list_filter = ["event"]


@admin.register(AssuranceRequest)
class AssuranceRequestAdmin(ReadOnlyAuditedAdmin):
    """Requests are made and answered in the tracker; the admin shows them."""

    list_display = ["__str__", "due_date", "state", "flagged_on"]
    list_filter = ["state", "agency"]
    list_select_related = ["agency", "action__recommendation__review"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: what the tracker told whom, and when it was emailed."""

    list_display = ["created_at", "recipient", "kind", "subject", "emailed_at"]
    list_filter = ["kind"]


@admin.register(DisposalBatch)
class DisposalBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: approved on the Retention page; the record of a disposal."""

    list_display = ["approved_at", "review", "approved_by", "submissions", "files", "bytes"]
    list_select_related = ["review", "approved_by"]


@admin.register(DisposalRecord)
class DisposalRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: what was disposed of, without its content."""

    list_display = ["disposed_at", "kind", "review", "agency", "submission_id", "size", "sha256"]
    list_filter = ["kind"]
    list_select_related = ["review", "agency"]
    exclude = ["stored_name"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAuditedAdmin):
    """Updates and challenges are posted in the tracker; the admin shows them."""

    list_display = ["__str__", "kind", "written_by", "written_at"]
    list_filter = ["kind", "agency"]
    list_select_related = ["action__recommendation__review", "action__agency", "written_by"]


@admin.register(ImpactEvidence)
class ImpactEvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Written with an impact judgement in the tracker; never changed."""

    list_display = ["judgement", "submission"]
    list_select_related = ["judgement__recommendation__review", "submission"]
