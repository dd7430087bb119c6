"""What changed, read from the history tables.

Consecutive history rows of one object are compared field by field; each
difference becomes a Change. The recommendation page's timeline, the
dashboard's "what changed since" and its ratings trend are all built from the
same rows, fetched in one query per model.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from scr_tracker.accounts.roles import AGENCY_USER, role_of


def is_agency_user(user) -> bool:
    return role_of(user) == AGENCY_USER


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str
    old_value: object = None
    new_value: object = None


@dataclass
class Entry:
    when: datetime
    who: object
    why: str
    subject: str
    created: bool = False
    changes: list[Change] = field(default_factory=list)
    who_shown: str = ""  # as the viewer may see it (name_for)
    agency_id: int | None = None  # the agency whose action changed, if an action


def _shown(row, name):
    value = getattr(row, name)
    display = getattr(row, f"get_{name}_display", None)
    if display is not None and value:
        return str(display())
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if value in (None, ""):
        return "Not set"
    return str(value)


def entries(rows, fields, subject, agency_of=None):
    """Entries for history ``rows`` ordered by object then time. ``fields`` maps
    field name to label; ``subject(row)`` names the object changed;
    ``agency_of(row)``, if given, the agency the object belongs to."""
    result, previous = [], None
    for row in rows:
        same_object = previous is not None and previous.id == row.id
        entry = Entry(
            when=row.history_date,
            who=row.history_user,
            why=row.history_change_reason or "",
            subject=subject(row),
            created=not same_object,
            agency_id=agency_of(row) if agency_of else None,
        )
        if same_object:
            for name, label in fields.items():
                old, new = getattr(previous, name), getattr(row, name)
                if old != new:
                    entry.changes.append(
                        Change(name, label, _shown(previous, name), _shown(row, name), old, new)
                    )
        if entry.created or entry.changes:
            result.append(entry)
        previous = row
    return result


def name_for(viewer):
    """How people are named to ``viewer`` (need to know, docs/decisions.md): an
    agency user sees another agency's officers as that agency, never by name;
    their own colleagues and the partnership's staff by name."""

    def name(person):
        if person is None:
            return "Not recorded"
        own = person.get_full_name() or person.username
        if viewer.agency_id is None or not is_agency_user(viewer):
            return own
        if person.agency_id is not None and person.agency_id != viewer.agency_id:
            return f"an officer of {person.agency.name}"
        return own

    return name


# What another agency's action may show an agency user: not whether evidence
# was sent or accepted (need to know, docs/decisions.md).
EVIDENCE_STATE, ITS_STAND_IN = "Evidence submitted", "In progress"


def as_seen_by(viewer, timeline):
    """The timeline as ``viewer`` may see it: people named by name_for; for an
    agency user, other agencies' action changes without their reasons, without
    how they were assured, and with "Evidence submitted" shown as in progress."""
    name = name_for(viewer)
    foreign = is_agency_user(viewer)
    shown = []
    for entry in timeline:
        entry.who_shown = name(entry.who)
        if foreign and entry.agency_id is not None and entry.agency_id != viewer.agency_id:
            entry.why = ""
            kept = []
            for change in entry.changes:
                if change.field in ("assurance", "assurance_reason"):
                    continue
                change.old = ITS_STAND_IN if change.old == EVIDENCE_STATE else change.old
                change.new = ITS_STAND_IN if change.new == EVIDENCE_STATE else change.new
                if change.old != change.new:
                    kept.append(change)
            if not entry.created and not kept:
                continue
            entry.changes = kept
        shown.append(entry)
    return shown


def newest_first(*groups):
    return sorted((e for group in groups for e in group), key=lambda e: e.when, reverse=True)


def states_at(rows, moments, value):
    """For each moment, {object id: value(row)} of each object's latest row at
    that moment (objects that did not exist yet are left out)."""
    by_object = {}
    for row in rows:
        by_object.setdefault(row.id, []).append(row)
    result = []
    for moment in moments:
        state = {}
        for object_id, object_rows in by_object.items():
            latest = None
            for row in object_rows:
                if row.history_date <= moment:
                    latest = row
                else:
                    break
            if latest is not None and latest.history_type != "-":
                state[object_id] = value(latest)
        result.append(state)
    return result
