"""The assurance cycle in real Chromium: a manager requests evidence, the agency
answers it from its home page, the manager accepts it and signs the
recommendation off, freezes the board pack, and the executive reads the
board pack with its movement since the last board."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation
from scr_tracker.audit import changes_by
from tests import factories
from tests.browser import SCREENSHOTS, screenshot
from tests.documents import make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_answer_accept_sign_off_and_board_report(
    w6, open_as, manager, executive, agency_a, agency_a_user, tmp_path
):
    today = timezone.localdate()
    recs = {rec.number: rec for rec in w6.recommendations.all()}
    action = factories.make_action(
        recommendation=recs[8], agency=agency_a, description="Audit the invented neglect strategy."
    )
    with changes_by(manager, "Rating changed: strategy drafted"):
        for number, rating in [(8, "amber"), (2, "red"), (5, "green")]:
            recs[number].rating, recs[number].rating_rationale = rating, "Invented."
            recs[number].target_date = today + datetime.timedelta(days=20 * number)
            recs[number].save()
    factories.make_board_pack(
        w6, manager, today - datetime.timedelta(days=90), "Executive board, August"
    )
    with changes_by(manager, "Target date changed: audit moved to spring"):
        recs[2].target_date = today + datetime.timedelta(days=200)
        recs[2].save()

    boss = open_as(manager)
    boss.goto(reverse("evidence:request_create") + f"?action={action.pk}")
    due = today + datetime.timedelta(days=14)
    boss.get_by_label("Day").fill(str(due.day))
    boss.get_by_label("Month").fill(str(due.month))
    boss.get_by_label("Year").fill(str(due.year))
    boss.get_by_label("What good evidence would show").fill("The audit's findings on ten cases.")
    boss.get_by_role("button", name="Send the request").click()
    boss.get_by_text("was asked for evidence").wait_for()

    agency = open_as(agency_a_user)
    agency.goto("/")
    agency.get_by_text("The audit's findings on ten cases.").wait_for()
    agency.get_by_role("link", name="Send evidence for this request").click()
    agency.get_by_label("What your agency did").fill("We audited ten invented cases.")
    agency.get_by_label("What difference it made").fill("All ten followed the strategy.")
    document = tmp_path / "neglect-audit.pdf"
    document.write_bytes(make_pdf(["Invented neglect audit: ten of ten cases compliant."]))
    agency.get_by_label("Files").set_input_files(str(document))
    agency.get_by_role("button", name="Send evidence").click()
    agency.get_by_text("Your evidence was sent to the partnership.").wait_for()

    boss.goto(reverse("evidence:request_list"))
    boss.get_by_role("link", name="See the evidence").click()
    boss.get_by_label("Accept").check()
    boss.get_by_role("button", name="Save review").click()
    boss.get_by_text("Your review was saved.").wait_for()
    boss.goto(reverse("recommendations:recommendation_detail", args=[recs[8].pk]))
    boss.get_by_role("link", name="Sign off as Complete").click()
    boss.get_by_label("Note (optional)").fill("Agreed at the invented executive board.")
    boss.get_by_role("button", name="Sign off as Complete").click()
    boss.get_by_text("The recommendation was signed off as Complete.").wait_for()
    assert Recommendation.objects.get(pk=recs[8].pk).rating == "complete"

    boss.goto(reverse("reporting:board_packs"))
    boss.get_by_label("Board meeting").fill("Executive board, November")
    boss.get_by_label("Day").fill(str(today.day))
    boss.get_by_label("Month").fill(str(today.month))
    boss.get_by_label("Year").fill(str(today.year))
    boss.get_by_role("button", name="Freeze the board pack").click()
    boss.get_by_text("The board pack was frozen.").wait_for()

    board = open_as(executive)
    board.goto(reverse("reporting:board_packs"))
    board.get_by_role("link", name="Open").first.click()
    report = board.get_by_role("main").inner_text()
    assert "SCR W6 recommendation 8 (Neglect strategy assurance): Amber to Complete" in report
    row = board.locator(f"tr[data-recommendation='{recs[2].pk}']").inner_text()
    assert f"{recs[2].target_date:%-d %B %Y}" in row
    assert "audit moved to spring" in report
    assert "1 more accepted" in report
    screenshot(board, "board-report")
    pdf = board.request.get(board.url.rstrip("/") + "/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    (SCREENSHOTS / "board-report.pdf").write_bytes(pdf.body())
