"""Progress without a file: an agency posts "training booked for March" on its
action, a business manager challenges it, each is told; the thread is scoped
like the action's evidence, guarded, kept in history, and its latest update
shows on the recommendation page and in the board pack."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from evidence.models import Notification, ProgressUpdate
from scr_tracker.reporting import board
from tests import factories
from tests.html_cells import rows_by

pytestmark = pytest.mark.django_db

UPDATE = "Training booked for 12 March; 40 of 60 staff have places."


@pytest.fixture
def thread(w6, agency_a, agency_b, agency_a_user, agency_b_user, manager, executive):
    rec = w6.recommendations.get(number=2)
    action = factories.make_action(recommendation=rec, agency=agency_a)
    factories.make_action(recommendation=rec, agency=agency_b)
    return {
        "rec": rec,
        "action": action,
        "url": reverse("evidence:action_progress", args=[action.pk]),
        "clients": {
            name: _client(person)
            for name, person in {
                "officer": agency_a_user,
                "other_agency": agency_b_user,
                "manager": manager,
                "executive": executive,
            }.items()
        },
    }


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_an_update_and_a_challenge_make_a_dated_thread_each_side_is_told(thread, manager):
    officer, boss = thread["clients"]["officer"], thread["clients"]["manager"]
    posted = officer.post(thread["url"], {"text": UPDATE})
    assert posted.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.kind, update.text, update.agency_id) == (
        "update",
        UPDATE,
        thread["action"].agency_id,
    )
    history = update.history.get()
    assert history.history_change_reason == "Progress update posted by the agency"
    told = Notification.objects.get(kind="progress_update")
    assert told.recipient == manager
    assert told.subject == "Progress update from A on SCR W6 recommendation 2"
    assert told.link == f"{thread['url']}#entry-{update.pk}"

    assert boss.post(thread["url"], {"text": "Which teams are the other 20 in?"}).status_code == 302
    challenge = ProgressUpdate.objects.get(kind="challenge")
    assert Notification.objects.get(kind="progress_challenge").link.endswith(
        f"#entry-{challenge.pk}"
    )
    page = officer.get(thread["url"]).content.decode()
    entries = re.findall(r'id="entry-(\d+)"', page)
    assert entries == [str(update.pk), str(challenge.pk)]  # oldest first, as a thread
    assert "<strong>Challenge or question</strong>" in page and "(the partnership)" in page


def test_the_thread_is_scoped_like_the_actions_evidence(thread):
    factories.make_progress(thread["action"], text=UPDATE)
    clients = thread["clients"]
    assert clients["other_agency"].get(thread["url"]).status_code == 404
    rec_page = reverse("recommendations:recommendation_detail", args=[thread["rec"].pk])
    other = clients["other_agency"].get(rec_page).content.decode()
    assert UPDATE not in other  # not even the latest update on the recommendation page
    seen = clients["executive"].get(thread["url"])
    assert seen.status_code == 200 and UPDATE in seen.content.decode()
    assert 'name="text"' not in seen.content.decode()  # no box to post in
    assert clients["executive"].post(thread["url"], {"text": "A question."}).status_code == 403
    assert ProgressUpdate.objects.count() == 1


def test_an_identifier_is_refused_and_what_was_typed_kept_with_a_mark(thread):
    officer = thread["clients"]["officer"]
    refused = officer.post(thread["url"], {"text": "Visited WS1 1TP on Tuesday; training booked."})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "WS1 1TP" not in page
    assert "Visited [removed: a full postcode] on Tuesday; training booked." in page
    assert ProgressUpdate.objects.count() == 0 and ProgressUpdate.history.count() == 0
    again = officer.post(thread["url"], {"text": "Visited [removed: a full postcode] on Tuesday."})
    assert again.status_code == 400 and ProgressUpdate.objects.count() == 0


def test_text_over_the_limit_is_refused_not_cut(thread):
    officer = thread["clients"]["officer"]
    refused = officer.post(thread["url"], {"text": "word " * 401})
    assert refused.status_code == 400
    assert re.search(r"2,?000 characters", refused.content.decode())
    assert ProgressUpdate.objects.count() == 0


def test_the_latest_update_shows_on_the_recommendation_page_and_in_the_board_pack(
    thread, manager, agency_a_user
):
    action = thread["action"]
    factories.make_progress(action, agency_a_user, text="First: a plan agreed.")
    latest = factories.make_progress(action, agency_a_user, text=UPDATE)
    factories.make_progress(action, manager, kind="challenge", text="Which teams?")
    rec_page = reverse("recommendations:recommendation_detail", args=[thread["rec"].pk])
    page = thread["clients"]["manager"].get(rec_page).content.decode()
    progress = page.split('id="progress"')[1].split("</dl>")[0]
    rows = re.findall(r'summary-list__key">([^<]+)</dt>\s*<dd[^>]*>(.*?)</dd>', progress, re.S)
    day = f"{latest.written_at:%-d %B %Y}"
    assert [(agency, re.sub(r"<[^>]+>", "", text).strip()) for agency, text in rows] == [
        ("Agency A (test)", f"{UPDATE} (latest update, {day})"),
        ("Agency B (test)", "No progress update yet."),
    ]
    assert "Thread (3)" in progress

    pack = factories.make_board_pack(thread["rec"].review, manager)
    row = next(r for r in board.shown_rows(pack) if r["number"] == 2)
    cells = {a["agency"]: (a.get("update"), a.get("update_on")) for a in row["actions"]}
    assert cells["Agency A (test)"] == (UPDATE, latest.written_at.date())
    assert cells["Agency B (test)"] == (None, None)
    shown = thread["clients"]["manager"].get(reverse("reporting:board_pack", args=[pack.pk]))
    actions_cell = rows_by(shown.content.decode(), "data-recommendation")[str(thread["rec"].pk)][4]
    assert f"Latest update ({day}): {UPDATE}" in actions_cell
    # The pack's Excel copy says the same in its Actions cell.
    xlsx = thread["clients"]["manager"].get(reverse("reporting:board_pack_xlsx", args=[pack.pk]))
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == 2)
    cell = row[header.index("Actions (agency: state, due date)")]
    assert "Agency A (test): " in cell and f". Latest update ({day}): {UPDATE}" in cell
