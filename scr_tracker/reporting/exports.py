"""CSV and Excel downloads of the dashboard table and of a board pack.

Both stream: rows are read from the database in chunks and written as they
come, so memory stays flat at any number of recommendations (CSV through a
StreamingHttpResponse; Excel through openpyxl's write-only mode into a
temporary file, then sent in blocks)."""

import csv
import datetime
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from scr_tracker.reporting import dashboard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500

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
]
PACK_COLUMNS = [
    ("Review", 12),
    ("Number", 8),
    ("Recommendation", 36),
    ("Rating", 12),
    ("Target date", 13),
    ("Original target date", 13),
    ("Overdue", 9),
    ("Actions (agency: state, due date)", 50),
    ("Evidence accepted", 10),
    ("Evidence awaiting review", 10),
    ("Sign-off", 22),
]
DATE_FORMAT = "d mmm yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A cell a spreadsheet will not run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _day(value):
    return f"{value:%-d %B %Y}" if value else "Not set"


def _action_line(agency, state, due, assurance=""):
    line = f"{agency}: {state.lower()}"
    if assurance:
        line += f" ({assurance.lower()})"
    return line + (f", due {_day(due)}" if due else "")


def table_rows(recs):
    """Each recommendation of the (already scoped and annotated) ``recs`` as cells;
    dates stay dates (the CSV writes them like the pages, Excel as date cells)."""
    for rec in recs.iterator(chunk_size=CHUNK):
        actions = [
            _action_line(
                action.agency.name,
                action.get_state_display(),
                action.due_date,
                action.get_assurance_display() if action.assured_by_decision else "",
            )
            for action in rec.actions.all()
        ]
        yield [
            rec.review.reference,
            rec.number,
            rec.short_title,
            "\n".join([rec.text, *(f"- {point}" for point in rec.sub_points or [])]),
            dashboard.rating_label(rec.rating),
            rec.rating_rationale,
            rec.target_date,
            rec.original_target_date,
            "Yes" if rec.is_overdue else "No",
            "\n".join(actions) or "None",
            rec.evidence_accepted,
            rec.evidence_awaiting,
            rec.sign_off_state or "Not signed off",
        ]


def pack_rows(rows):
    """A board pack's shown rows (board.shown_rows) as cells."""
    for row in rows:
        actions = [
            _action_line(
                action["agency"],
                action["state"],
                action["due_date"],
                action.get("assurance") if action.get("assurance_reason") else "",
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
    widths, wrapped text, and real date cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cell(value, **style):
        made = WriteOnlyCell(sheet, value=value)
        for key, setting in style.items():
            setattr(made, key, setting)
        return made

    sheet.append([cell(heading, font=bold) for heading, _ in columns])
    count = 0
    for row in rows:
        count += 1
        sheet.append(
            [
                cell(value, number_format=DATE_FORMAT)
                if isinstance(value, datetime.date)
                else cell(neutralised(value), alignment=wrap)
                for value in row
            ]
        )
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book.save(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)


def export_name(extension):
    return f"recommendations-{timezone.localdate():%Y-%m-%d}.{extension}"
