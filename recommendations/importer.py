"""Importing a review's recommendations and actions from a spreadsheet.

One row per action (a recommendation with no action yet has one row with the
action columns empty). Columns, in this order, with a header row:

    Number | Short title | Recommendation | Agency | Action | Due date

The recommendation's text is taken from its first row (later rows of the same
number may leave it blank). Agencies are matched by name or short name. Every
text passes the intake guard. Any bad row stops the whole import: nothing is
saved unless every row is valid.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from scr_tracker.accounts.models import Agency
from scr_tracker.intake.guard import text_problems

COLUMNS = ["Number", "Short title", "Recommendation", "Agency", "Action", "Due date"]
MAX_ROWS = 500
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class Unreadable(Exception):
    """The file is not a spreadsheet this importer can read."""


@dataclass
class Parsed:
    recommendations: dict = field(default_factory=dict)  # number -> {short_title, text, actions}
    errors: list = field(default_factory=list)  # "Row N: ..."

    @property
    def action_count(self):
        return sum(len(r["actions"]) for r in self.recommendations.values())


def read_rows(upload):
    """The rows of an uploaded .xlsx or .csv file, header first, as lists of cells."""
    name = upload.name.lower()
    data = upload.read()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Unreadable("The CSV file must be saved as UTF-8.") from None
        return [row for row in csv.reader(io.StringIO(text))]
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a bad file)
            raise Unreadable("The file could not be opened as an Excel workbook.") from None
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    raise Unreadable("Choose an Excel (.xlsx) or CSV (.csv) file.")


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _date(cell):
    if cell in (None, ""):
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(str(cell).strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError


def parse(rows):
    """Validate every row; the result holds either the recommendations or the errors."""
    result = Parsed()
    if not rows or [_text(c).lower() for c in rows[0][: len(COLUMNS)]] != [
        c.lower() for c in COLUMNS
    ]:
        result.errors.append(f"Row 1: the header row must be: {', '.join(COLUMNS)}.")
        return result
    body = [r for r in rows[1:] if any(_text(c) for c in r)]
    if not body:
        result.errors.append("The file has no rows below the header.")
        return result
    if len(body) > MAX_ROWS:
        result.errors.append(f"The file has more than {MAX_ROWS} rows. Split it.")
        return result
    agencies = {}
    for agency in Agency.objects.all():
        agencies[agency.name.lower()] = agency
        agencies[agency.short_name.lower()] = agency
    for index, row in enumerate(rows[1:], start=2):
        cells = [_text(c) for c in (list(row) + [None] * len(COLUMNS))[: len(COLUMNS)]]
        if not any(cells):
            continue
        _parse_row(result, index, row, cells, agencies)
    for number, rec in result.recommendations.items():
        if not rec["text"]:
            result.errors.append(f"Recommendation {number}: no row gives its text.")
    return result


def _parse_row(result, index, row, cells, agencies):
    number, short_title, text, agency_name, action, _ = cells
    problems = []
    if not number.isdigit() or int(number) < 1:
        result.errors.append(f"Row {index}: the number must be a whole number, 1 or more.")
        return
    for label, value in [
        ("short title", short_title),
        ("recommendation", text),
        ("action", action),
    ]:
        for problem in text_problems(value, where=f"import.{label}"):
            problems.append(f"the {label}: {problem.message}")
    if len(short_title) > 80:
        problems.append("the short title must be 80 characters or fewer")
    rec = result.recommendations.setdefault(
        int(number), {"short_title": short_title, "text": text, "actions": []}
    )
    if not rec["short_title"]:
        rec["short_title"] = short_title
    if not rec["text"]:
        rec["text"] = text
    if not rec["short_title"]:
        problems.append("give the recommendation's short title")
    agency = None
    if action or agency_name:
        agency = agencies.get(agency_name.lower())
        if agency is None:
            problems.append(f"no agency is called “{agency_name}”; add it first, or correct it")
        if not action:
            problems.append("say what the agency must do (the Action column)")
    try:
        due = _date((list(row) + [None] * len(COLUMNS))[5])
    except ValueError:
        due = None
        problems.append("the due date must be a date such as 2027-03-31 or 31/03/2027")
    if problems:
        result.errors.append(f"Row {index}: " + "; ".join(problems) + ".")
    elif agency is not None:
        rec["actions"].append(
            {
                "agency": agency.pk,
                "description": action,
                "due_date": due.isoformat() if due else None,
            }
        )
