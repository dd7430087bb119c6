"""A frozen board pack says, cell by cell, what the live pages said when it was
frozen: the dashboard's rating, target date and evidence counts, the
recommendation page's original date, actions and sign-off state. Every cell is
read from the HTML as a person reads it, and checked against the data too."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from recommendations.models import Recommendation
from scr_tracker.audit import changes_by
from scr_tracker.reporting import exports
from scr_tracker.reporting.models import BoardPack
from tests import factories
from tests.html_cells import rows_by, text

TODAY = timezone.localdate()


def day(value):
    return f"{value:%-d %B %Y}"


def _rate(rec, user, rating, target=None, reason="Invented progress"):
    with changes_by(user, f"Rating changed: {reason}"):
        rec.rating, rec.rating_rationale = rating, reason
        if target is not None:
            rec.target_date = rec.original_target_date = target
        rec.save()


def _move_date(client, rec, new, reason):
    rec.refresh_from_db()
    response = client.post(
        reverse("recommendations:target_date_change", args=[rec.pk]),
        {
            "target_date_day": new.day,
            "target_date_month": new.month,
            "target_date_year": new.year,
            "reason": reason,
            "version": rec.version,
        },
    )
    assert response.status_code == 302


def _review(client, submission, decision, note=""):
    url = reverse("evidence:submission_review", args=[submission.pk])
    assert client.post(url, {"decision": decision, "note": note}).status_code == 302


def _sign_off(client, rec):
    rec.refresh_from_db()
    url = reverse("recommendations:sign_off", args=[rec.pk])
    response = client.post(url, {"note": "Agreed at the invented board", "version": rec.version})
    assert response.status_code == 302, response.content.decode()


@pytest.fixture
def board_world(w6, manager, manager_client, agency_a, agency_b, agency_a_user, agency_b_user):
    """Moved dates, overdue items, returned and accepted evidence, a decision,
    a current sign-off and a stale one."""
    recs = {rec.number: rec for rec in w6.recommendations.all()}
    # 1: amber, its date moved later; A's action overdue with returned
    # evidence, B's awaiting review.
    _rate(recs[1], manager, "amber", TODAY + datetime.timedelta(days=20))
    _move_date(manager_client, recs[1], TODAY + datetime.timedelta(days=90), "Trainers away")
    late = factories.make_action(recs[1], agency_a, due_date=TODAY - datetime.timedelta(days=5))
    waiting = factories.make_action(recs[1], agency_b, due_date=TODAY + datetime.timedelta(9))
    _review(manager_client, factories.make_submission(late, agency_a_user), "returned", "More")
    factories.make_submission(waiting, agency_b_user)
    # 2: red and overdue, no actions.
    _rate(recs[2], manager, "red", TODAY - datetime.timedelta(days=3))
    # 3: signed off on accepted evidence and a decision, then its date moved:
    # it needs signing off again.
    _rate(recs[3], manager, "green", TODAY + datetime.timedelta(days=40))
    by_evidence = factories.make_action(recs[3], agency_a, due_date=TODAY)
    by_decision = factories.make_action(recs[3], agency_b)
    _review(manager_client, factories.make_submission(by_evidence, agency_a_user), "accepted")
    by_decision.refresh_from_db()
    response = manager_client.post(
        reverse("recommendations:action_assure", args=[by_decision.pk]),
        {"reason": "Seen at the invented practice visit", "version": by_decision.version},
    )
    assert response.status_code == 302
    _sign_off(manager_client, recs[3])
    _move_date(manager_client, recs[3], TODAY + datetime.timedelta(days=70), "Audit later")
    # 4: signed off on accepted evidence, still current.
    action = factories.make_action(recs[4], agency_a)
    _review(manager_client, factories.make_submission(action, agency_a_user), "accepted")
    _sign_off(manager_client, recs[4])
    return recs


def _live(client, recs):
    dashboard = rows_by(
        client.get(reverse("reporting:dashboard")).content.decode(), "data-recommendation"
    )
    pages = {}
    for number, rec in recs.items():
        html = client.get(reverse("recommendations:recommendation_detail", args=[rec.pk])).content
        html = html.decode()
        pages[number] = {
            "actions": list(rows_by(html, "data-action").values()),
            "text": text(html),
            "sign_off": html.split('id="sign-off-state">')[1].split("<")[0],
        }
    return dashboard, pages


def _expected_action_line(cells):
    agency, _, due, state = cells[:4]
    state_line, *rest = state.split("\n")
    line = f"{agency}: {state_line.removesuffix(' Without evidence').lower()}"
    due_date = due.removesuffix(" Overdue")
    if due_date != "Not set":
        line += f", due {due_date}"
    if due.endswith("Overdue"):
        line += " (overdue)"
    if rest and rest[0].startswith("Assured without accepted evidence: "):
        line += ". Assured without evidence: " + rest[0].split(": ", 1)[1]
    return line


def test_every_cell_of_a_frozen_pack_is_what_the_pages_showed(board_world, manager_client):
    recs = board_world
    dashboard, pages = _live(manager_client, recs)
    w6 = recs[1].review
    response = manager_client.post(
        reverse("reporting:board_packs"),
        {
            "title": "Invented board",
            "board_date_day": TODAY.day,
            "board_date_month": TODAY.month,
            "board_date_year": TODAY.year,
            "reviews": [w6.pk],
        },
    )
    assert response.status_code == 302
    pack = BoardPack.objects.get()
    html = manager_client.get(reverse("reporting:board_pack", args=[pack.pk])).content.decode()
    frozen = rows_by(html, "data-recommendation")
    assert len(frozen) == 11
    for number, rec in recs.items():
        rec.refresh_from_db()
        live, page, cells = dashboard[str(rec.pk)], pages[number], frozen[str(rec.pk)]
        no, title, rating, target, actions, accepted, awaiting, sign_off = cells
        assert (no, title) == (str(number), rec.short_title)
        assert live[0] == f"SCR W6 {number}" and live[1] == title
        # Rating (with "needs signing off again") and target date (with "Overdue"),
        # as the dashboard showed them.
        assert rating == live[2]
        target_lines = target.split("\n")
        assert target_lines[0] == live[3]
        # The data agrees: a set date is a date, never "Not set".
        expected_date = day(rec.target_date) if rec.target_date else "Not set"
        assert target_lines[0].removesuffix(" Overdue") == expected_date
        moved = rec.original_target_date and rec.original_target_date != rec.target_date
        if moved:
            assert target_lines[1] == f"Originally {day(rec.original_target_date)}"
            assert target_lines[1] in page["text"]
        else:
            assert len(target_lines) == 1
        assert (accepted, awaiting) == (live[5], live[6])
        assert actions.split("\n") == (
            [_expected_action_line(row) for row in page["actions"]] or ["None"]
        )
        assert sign_off.split("\n")[0] == page["sign_off"]
    # The cells that matter, spelled out from the data.
    row1 = frozen[str(recs[1].pk)]
    assert row1[2] == "Amber"
    assert (
        row1[3] == f"{day(recs[1].target_date)}\nOriginally {day(TODAY + datetime.timedelta(20))}"
    )
    assert row1[5:7] == ["0", "1"]
    assert frozen[str(recs[2].pk)][3] == f"{day(TODAY - datetime.timedelta(3))} Overdue"
    assert frozen[str(recs[3].pk)][2] == "Complete Needs signing off again"
    assert (
        "Assured without evidence: Seen at the invented practice visit"
        in (frozen[str(recs[3].pk)][4])
    )
    assert frozen[str(recs[3].pk)][7].startswith("Needs signing off again")
    assert frozen[str(recs[4].pk)][7].startswith("Signed off")
    assert frozen[str(recs[5].pk)][7] == "Not signed off"


def test_the_pdf_and_excel_packs_carry_the_same_dates(board_world, manager_client, manager):
    recs = board_world
    pack = factories.make_board_pack(recs[1].review, manager, TODAY, "Invented board")
    pdf = manager_client.get(reverse("reporting:board_pack_pdf", args=[pack.pk])).content
    reader = PdfReader(io.BytesIO(pdf))
    words = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for rec in Recommendation.objects.filter(target_date__isnull=False):
        assert day(rec.target_date) in words
    assert "Not set" in words  # the unrated ones have no date, and say so
    response = manager_client.get(reverse("reporting:board_pack_xlsx", args=[pack.pk]))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    by_number = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    target, original = header.index("Target date"), header.index("Original target date")
    for number, rec in recs.items():
        rec.refresh_from_db()
        cell = by_number[number][target]
        assert (cell.date() if cell else None) == rec.target_date
        cell = by_number[number][original]
        assert (cell.date() if cell else None) == rec.original_target_date
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{len(recs) + 1}"


def test_gone_overdue_gives_the_date_as_every_page_does(w6, manager, manager_client):
    rec = w6.recommendations.get(number=5)
    _rate(rec, manager, "amber", TODAY + datetime.timedelta(days=2))
    factories.make_board_pack(w6, manager, TODAY - datetime.timedelta(days=1), "Earlier board")
    with changes_by(manager, "Target date changed: brought forward"):
        rec.target_date = TODAY - datetime.timedelta(days=1)
        rec.save()
    pack = factories.make_board_pack(w6, manager, TODAY, "Later board")
    page = text(
        manager_client.get(reverse("reporting:board_pack", args=[pack.pk])).content.decode()
    )
    gone = page.split("Gone overdue")[1].split("New accepted evidence")[0]
    assert f"target date {day(rec.target_date)}" in gone
    assert rec.target_date.isoformat() not in page


def test_the_pdf_is_tagged_titled_and_opens_with_the_counts(board_world, manager_client, manager):
    pack = factories.make_board_pack(board_world[1].review, manager, TODAY, "Invented board")
    pdf = manager_client.get(reverse("reporting:board_pack_pdf", args=[pack.pk])).content
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged (PDF/UA-1)
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == f"Board pack: SCR W6, Invented board, {day(TODAY)}"
    first = " ".join(reader.pages[0].extract_text().split())
    assert "11 recommendations of SCR W6" in first
    for label, count in [("Red", 1), ("Amber", 1), ("Complete", 2), ("Not yet rated", 7)]:
        assert f"{label} {count}" in first
    assert "Overdue 1" in first
    assert "Actions assured without evidence 1" in first


def test_the_exports_carry_what_people_need(board_world, manager_client):
    recs = board_world
    for rec in recs.values():
        rec.refresh_from_db()
    for name in ("Neglect", "Information sharing"):
        factories.make_theme_link(recs[1], factories.make_theme(name))
    response = manager_client.get(reverse("reporting:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    assert header == [heading for heading, _ in exports.COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:N{len(recs) + 1}"
    assert sheet.column_dimensions["D"].width == 60
    by_number = {
        row[1]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    one, three = by_number[1], by_number[3]
    assert one["Target date"].date() == recs[1].target_date
    assert one["Original target date"].date() == TODAY + datetime.timedelta(days=20)
    assert one["Full text"].startswith(recs[1].text)
    assert (
        one["Actions (agency: state, due date)"]
        .splitlines()[0]
        .startswith("Agency A (test): in progress")
    )
    assert (one["Evidence accepted"], one["Evidence awaiting review"]) == (0, 1)
    assert three["Sign-off"] == "Needs signing off again"
    assert "(assured without evidence)" in three["Actions (agency: state, due date)"]
    assert by_number[4]["Sign-off"] == "Signed off"
    assert (one["Themes"], three["Themes"]) == ("Information sharing; Neglect", None)
    csv_text = manager_client.get(reverse("reporting:export_csv")).getvalue().decode()
    assert day(recs[1].target_date) in csv_text
    assert recs[1].target_date.isoformat() not in csv_text
