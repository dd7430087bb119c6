"""CSV and Excel downloads of the dashboard table and of a board pack.

Both stream: rows are read from the database in chunks and written as they
come, so memory stays flat at any number of recommendations (CSV through a
StreamingHttpResponse; Excel through openpyxl's write-only mode into a
temporary file, then sent in blocks)."""

import csv
import datetime
import tempfile
from itertools import islice

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from evidence.models import Submission
from recommendations.models import (
    NEEDS_SIGNING_OFF_AGAIN,
    SIGNED_OFF,
    Action,
    Rating,
    RecommendationTheme,
    SignOff,
)
from scr_tracker.reporting import dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 1000

# (heading, Excel column width)
COLUMNS = [
    ("Review", 12),
    ("Number", 8),
    ("Recommendation", 36),
    ("Full text", 60),
    ("Rating", 12),
    ("Why this rating", 40),
    ("Target date", 13),
    ("Original target date", 13),
    ("Overdue", 9),
    ("Actions (agency: state, due date)", 50),
    ("Evidence accepted", 10),
    ("Evidence awaiting review", 10),
    ("Sign-off", 22),
    ("Themes", 30),
]
# A board pack's rows carry no full text, rationale or themes.
PACK_COLUMNS = [c for c in COLUMNS if c[0] not in ("Full text", "Why this rating", "Themes")]
DATE_FORMAT = "d mmm yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A cell a spreadsheet will not run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _day(value):
    return f"{value:%-d %B %Y}" if value else "Not set"


def _action_line(agency, state, due, assurance="", update="", update_on=None):
    line = f"{agency}: {state.lower()}"
    if assurance:
        line += f" ({assurance.lower()})"
    line += f", due {_day(due)}" if due else ""
    if update:
        line += f". Latest update ({_day(update_on)}): {update}"
    return line


def table_rows(recs, agency_id=None):
    """Each recommendation of the (already scoped) ``recs`` as cells, in the
    dashboard's order; dates stay dates (the CSV writes them like the pages,
    Excel as date cells). Read CHUNK recommendations at a time, as plain values:
    for each chunk, one query each for its actions, its evidence tallies (an
    agency user's own agency's only), its latest sign-offs and its themes."""
    fields = [
        "pk",
        "review__reference",
        "number",
        "short_title",
        "text",
        "sub_points",
        "rating",
        "rating_rationale",
        "target_date",
        "original_target_date",
        "version",
    ]
    rows = recs.order_by("review__reference", "number", "pk").values_list(*fields)
    iterator = rows.iterator(chunk_size=CHUNK)
    today = timezone.localdate()
    while chunk := list(islice(iterator, CHUNK)):
        ids = [row[0] for row in chunk]
        actions, tallies, signed = _chunk_details(ids, agency_id)
        themes = _themes(ids)
        for (
            pk,
            review,
            number,
            title,
            text,
            points,
            rating,
            why,
            target,
            original,
            version,
        ) in chunk:
            overdue = target is not None and target < today and rating != Rating.COMPLETE
            accepted, awaiting = tallies.get(pk, (0, 0))
            yield [
                review,
                number,
                title,
                "\n".join([text, *(f"- {point}" for point in points or [])]),
                dashboard.rating_label(rating),
                why,
                target,
                original,
                "Yes" if overdue else "No",
                "\n".join(actions.get(pk, [])) or "None",
                accepted,
                awaiting,
                _sign_off_state(signed.get(pk), version),
                "; ".join(themes.get(pk, [])),
            ]


def _themes(ids):
    found = {}
    links = (
        RecommendationTheme.objects.filter(recommendation__in=ids)
        .order_by("recommendation", Lower("theme__name"))
        .values_list("recommendation", "theme__name")
    )
    for rec, name in links:
        found.setdefault(rec, []).append(name)
    return found


def _chunk_details(ids, agency_id):
    actions = {}
    found = (
        Action.objects.filter(recommendation__in=ids)
        .order_by("recommendation", "agency__name", "pk")
        .values_list(
            "recommendation", "agency__name", "state", "due_date", "assurance", "agency_id"
        )
    )
    for rec, agency, state, due, assurance, owner in found:
        if agency_id is not None and owner != agency_id:
            # Another agency's action: not whether it has evidence (need to know).
            if state == Action.State.EVIDENCE_SUBMITTED:
                state = Action.State.IN_PROGRESS
            assurance = ""
        decision = assurance == Action.Assurance.DECISION
        line = _action_line(
            agency,
            Action.State(state).label,
            due,
            Action.Assurance.DECISION.label if decision else "",
        )
        actions.setdefault(rec, []).append(line)
    submissions = Submission.objects.filter(action__recommendation__in=ids)
    if agency_id is not None:
        submissions = submissions.filter(agency=agency_id)
    tallies = {
        rec: (accepted, awaiting)
        for rec, accepted, awaiting in submissions.order_by()
        .values_list("action__recommendation")
        .annotate(
            accepted=Count("pk", filter=Q(state=Submission.State.ACCEPTED)),
            awaiting=Count("pk", filter=Q(state=Submission.State.SUBMITTED)),
        )
    }
    signed = {}
    latest_first = (
        SignOff.objects.filter(recommendation__in=ids, kind=SignOff.Kind.MANAGER)
        .order_by("recommendation", "-signed_at", "-pk")
        .values_list("recommendation", "version")
    )
    for rec, version in latest_first:
        signed.setdefault(rec, version)
    return actions, tallies, signed


def _sign_off_state(signed_version, version):
    if signed_version is None:
        return "Not signed off"
    return SIGNED_OFF if signed_version == version else NEEDS_SIGNING_OFF_AGAIN


def pack_rows(rows):
    """A board pack's shown rows (board.shown_rows) as cells."""
    for row in rows:
        actions = [
            _action_line(
                action["agency"],
                action["state"],
                action["due_date"],
                action.get("assurance") if action.get("assurance_reason") else "",
                action.get("update", ""),
                action.get("update_on"),
            )
            for action in row["actions"]
        ]
        yield [
            row.get("review", ""),
            row["number"],
            row["short_title"],
            row["rating_label"],
            row["target_date"],
            row["original_target_date"],
            "Yes" if row["overdue"] else "No",
            "\n".join(actions) or "None",
            row["accepted"],
            row["awaiting"],
            row.get("sign_off") or "Not signed off",
        ]


class _Echo:
    def write(self, value):
        return value


def csv_response(rows, name, columns=COLUMNS):
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow([heading for heading, _ in columns])
        for row in rows:
            yield writer.writerow(
                [_day(c) if isinstance(c, datetime.date) else neutralised(c) for c in row]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def xlsx_response(rows, name, sheet_title, columns=COLUMNS):
    """An Excel workbook: a bold frozen header row with filters, set column
    widths, real date cells, and wrapped text in the columns that hold lines."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for heading, _ in columns:
        cell = WriteOnlyCell(sheet, value=heading)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")

    def styled(value):
        # Only dates and texts with line breaks need a styled cell; the rest
        # are written as plain values (styling every cell triples the time).
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        value = neutralised(value)
        if isinstance(value, str) and "\n" in value:
            cell = WriteOnlyCell(sheet, value=value)
            cell.alignment = wrap
            return cell
        return value

    count = 0
    for row in rows:
        count += 1
        sheet.append([styled(value) for value in row])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)


def export_name(extension):
    return f"recommendations-{timezone.localdate():%Y-%m-%d}.{extension}"
