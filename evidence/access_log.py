"""The access log (capability ``read_access_log``): reads of evidence, exports,
board-pack downloads and admin actions (``AccessLog``), with the sign-in events
(``accounts.SignInEvent``: sign-ins, failures, lockouts, sign-outs, second
factor), in one list, newest first, 50 a page, filtered by person, agency,
event and dates, and downloadable as CSV. Never content: ids, formats and
event names only."""

import csv
import datetime

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BigIntegerField, CharField, Value
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from evidence.models import AccessLog
from scr_tracker.accounts.capabilities import requires
from scr_tracker.accounts.models import Agency, SignInEvent, User
from scr_tracker.pagination import pagination

PER_PAGE = 50
BATCH = 2000
EVENTS = {**dict(AccessLog.Event.choices), **dict(SignInEvent.Event.choices)}
COLUMNS = ("pk", "at", "user_id", "event", "submission_id", "file_id", "what", "source")


def log(user, event, *, submission_id=None, file_id=None, what=""):
    AccessLog.objects.create(
        user=user, event=event, submission_id=submission_id, file_id=file_id, what=what[:200]
    )


@receiver(post_save, sender=LogEntry)
def _admin_action(sender, instance, created, **kwargs):
    """Every admin action, by kind and object id only (the admin's own change
    message may quote what was typed)."""
    if created:
        action = {1: "added", 2: "changed", 3: "deleted"}.get(instance.action_flag, "acted on")
        model = instance.content_type.model if instance.content_type_id else "an object"
        log(instance.user, AccessLog.Event.ADMIN, what=f"{action} {model} {instance.object_id}")


class AccessLogFilter(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Everyone"
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.order_by("name"), required=False, empty_label="All agencies"
    )
    event = forms.ChoiceField(choices=[("", "All events"), *EVENTS.items()], required=False)
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.exclude(username="system")
            .exclude(role="", is_superuser=False)
            .order_by("last_name", "first_name", "username")
        )
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Choose from the list."
            field.error_messages.setdefault("invalid", "Enter a date, for example 2026-10-01.")


def entries(filters):
    """Both logs, filtered, as one queryset of tuples (COLUMNS), newest first."""
    reads = AccessLog.objects.annotate(source=Value("access", output_field=CharField()))
    signs = SignInEvent.objects.annotate(
        submission_id=Value(None, output_field=BigIntegerField()),
        file_id=Value(None, output_field=BigIntegerField()),
        what=Value("", output_field=CharField()),
        source=Value("sign-in", output_field=CharField()),
    )
    parts = []
    for rows in (reads, signs):
        if filters.get("person"):
            rows = rows.filter(user=filters["person"])
        if filters.get("agency"):
            rows = rows.filter(user__agency=filters["agency"])
        if filters.get("event"):
            rows = rows.filter(event=filters["event"])
        if filters.get("start"):
            rows = rows.filter(at__gte=_day_start(filters["start"]))
        if filters.get("end"):
            rows = rows.filter(at__lt=_day_start(filters["end"] + datetime.timedelta(days=1)))
        parts.append(rows.order_by().values_list(*COLUMNS))
    return parts[0].union(parts[1], all=True).order_by("-at", "-pk")


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _rows(page_of_tuples):
    """Dicts for the template and the CSV, with the people (one query)."""
    tuples = list(page_of_tuples)
    people = User.objects.select_related("agency").in_bulk({t[2] for t in tuples if t[2]})
    rows = []
    for _pk, at, user_id, event, submission_id, file_id, what, source in tuples:
        person = people.get(user_id)
        detail = what or ", ".join(
            part
            for part in (
                f"evidence {submission_id}" if submission_id else "",
                f"file {file_id}" if file_id else "",
            )
            if part
        )
        rows.append(
            {
                "at": at,
                "person": (person.get_full_name() or person.username) if person else "Unknown",
                "agency": person.agency.name if person and person.agency_id else "",
                "event": EVENTS.get(event, event),
                "detail": detail,
                "source": source,
            }
        )
    return rows


@login_required
@require_safe
@requires("read_access_log")
def access_log(request):
    form = AccessLogFilter(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(entries(filters), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "form": form,
        "page": page,
        "rows": _rows(page.object_list),
        "pages": pagination(page, query.urlencode()),
        "query": query.urlencode(),
    }
    return render(request, "evidence/access_log.html", ctx, status=400 if form.errors else 200)


class _Echo:
    def write(self, value):
        return value


@login_required
@require_safe
@requires("read_access_log")
def access_log_csv(request):
    """The filtered log as CSV, streamed from one cursor, 2,000 rows at a time
    (each batch names its people in one query)."""
    form = AccessLogFilter(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    writer = csv.writer(_Echo())
    log(request.user, AccessLog.Event.EXPORTED, what="the access log (CSV)")

    def write(batch):
        for row in _rows(batch):
            yield writer.writerow(
                [row["at"].isoformat(), row["person"], row["agency"], row["event"], row["detail"]]
            )

    def lines():
        yield writer.writerow(["When", "Person", "Agency", "Event", "Detail"])
        batch = []
        for found in entries(filters).iterator(chunk_size=BATCH):
            batch.append(found)
            if len(batch) == BATCH:
                yield from write(batch)
                batch = []
        yield from write(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response
