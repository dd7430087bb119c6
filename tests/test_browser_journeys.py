"""Each role's journey in real Chromium, as its users work.

A manager changes a rating and the executive dashboard shows it with its
history; agency A sends evidence, the manager accepts it and the dashboard's
counts move; agency B never sees agency A's evidence. The evidence form is also
sent with the keyboard alone, and works with JavaScript off.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evidence.models import Submission
from recommendations.models import Recommendation
from tests import factories
from tests.browser import SCREENSHOTS, screenshot
from tests.documents import make_pdf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def w6_recs(w6, agency_a, agency_b, manager, executive, agency_a_user, agency_b_user):
    today = timezone.localdate()
    recs = {rec.number: rec for rec in w6.recommendations.all()}
    factories.make_action(
        recommendation=recs[1],
        agency=agency_a,
        description="Adopt the invented supervision standard and audit its use.",
        due_date=today + datetime.timedelta(30),
    )
    action_b = factories.make_action(
        recommendation=recs[1],
        agency=agency_b,
        description="Confirm the invented supervision arrangements.",
        due_date=today + datetime.timedelta(60),
    )
    factories.make_submission(action_b, agency_b_user, summary="Agency B's own invented summary")
    for user, name in [(manager, "Morgan Manager"), (executive, "Erin Executive")]:
        user.first_name, user.last_name = name.split()
        with factories.setup_changes():
            user.save()
    return recs


def test_manager_changes_a_rating_and_the_executive_sees_it_with_its_history(
    w6_recs, open_as, site, manager, executive
):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    app = TOTPDevice.objects.create(user=manager, name="App", confirmed=True)
    page = open_as()
    page.goto("/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    # The second factor: the code the manager's app shows now.
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    page.get_by_label("Code").fill(f"{TOTP(app.bin_key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Where the recommendations of SCR W6 stand").wait_for()

    page.get_by_role("link", name=w6_recs[3].short_title).click()
    page.get_by_role("link", name="Change the rating").click()
    page.get_by_role("button", name="Save rating").click()
    # Nothing chosen: the error summary says what to fix, and nothing changed.
    page.get_by_role("alert").get_by_text("Choose a rating.").wait_for()
    assert Recommendation.objects.get(pk=w6_recs[3].pk).rating == ""
    page.get_by_label("Green").check()
    page.get_by_label("Why this rating").fill("Every invented audit shows the strategy in use.")
    page.get_by_role("button", name="Save rating").click()
    page.get_by_text("The rating was changed.").wait_for()

    board = open_as(executive)
    board.goto(reverse("reporting:dashboard"))
    row = board.get_by_role("row").filter(has_text=w6_recs[3].short_title)
    assert "Green" in row.inner_text()
    changes = board.locator("li").filter(has_text=f"SCR W6 {w6_recs[3].number}")
    assert "to Green" in changes.first.inner_text()
    screenshot(board, "dashboard")
    board.get_by_role("link", name=w6_recs[3].short_title).click()
    history = board.locator(".tracker-timeline li").first.inner_text()
    assert "Morgan Manager" in history
    assert "Every invented audit shows the strategy in use." in history
    screenshot(board, "recommendation")


def test_agency_evidence_is_accepted_and_the_dashboard_counts_move(
    w6_recs, open_as, executive, manager, agency_a_user, agency_b_user, tmp_path
):
    board = open_as(executive)
    board.goto(reverse("reporting:dashboard"))
    row = board.get_by_role("row").filter(has_text=w6_recs[1].short_title)
    assert row.get_by_role("cell").nth(5).inner_text() == "0"  # accepted

    agency = open_as(agency_a_user)
    agency.goto("/")
    agency.get_by_role("heading", name="My agency's actions").wait_for()
    agency.get_by_role("link", name="Send evidence for SCR W6 1").click()
    agency.get_by_label("What your agency did").fill("We adopted the invented standard.")
    agency.get_by_label("What difference it made").fill("An invented audit found it in use.")
    document = tmp_path / "supervision-audit.pdf"
    document.write_bytes(make_pdf(["Invented supervision audit: all standards met."]))
    agency.get_by_label("Files").set_input_files(str(document))
    screenshot(agency, "submission-form")
    agency.get_by_role("button", name="Send evidence").click()
    agency.get_by_text("Your evidence was sent to the partnership.").wait_for()
    submission = Submission.objects.get(agency=agency_a_user.agency)

    # The manager is told, in the menu and on the dashboard, and goes from there.
    review = open_as(manager)
    review.goto(reverse("reporting:dashboard"))
    waiting = review.get_by_role("region", name="Needs your attention")
    # Agency B's own evidence (w6_recs) waits too; agency A's sending was a notification.
    assert waiting.get_by_role("link").all_inner_texts() == [
        "2 evidence to review",
        "1 new notifications",
    ]
    assert review.get_by_role("link", name="Evidence 2 waiting for you").count() == 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    review.screenshot(path=SCREENSHOTS / "needs-your-attention.png")
    waiting.get_by_role("link", name="2 evidence to review").click()
    review.get_by_role("link", name="by A").click()
    assert review.url.endswith(reverse("evidence:submission_detail", args=[submission.pk]))
    review.get_by_label("Accept").check()
    review.get_by_role("button", name="Save review").click()
    review.get_by_text("Your review was saved.").wait_for()
    review.goto(reverse("reporting:dashboard"))
    waiting = review.get_by_role("region", name="Needs your attention")
    assert waiting.get_by_role("link").all_inner_texts() == [
        "1 evidence to review",
        "1 new notifications",
    ]
    assert review.get_by_role("link", name="Evidence 1 waiting for you").count() == 1

    board.reload()
    row = board.get_by_role("row").filter(has_text=w6_recs[1].short_title)
    assert row.get_by_role("cell").nth(5).inner_text() == "1"
    agency.goto("/")
    assert "Assured" in agency.get_by_role("row").filter(has_text="SCR W6 1").inner_text()
    # The agency is told of the acceptance, and the item goes once it is read.
    told = agency.get_by_role("region", name="Needs your attention")
    told.get_by_role("link", name="1 new notifications").click()
    agency.get_by_role(
        "link", name="Your agency's evidence for SCR W6 recommendation 1 was accepted"
    ).click()
    assert agency.url.endswith(reverse("evidence:submission_detail", args=[submission.pk]))
    agency.goto("/")
    assert "new notifications" not in agency.get_by_role("main").inner_text()

    other = open_as(agency_b_user)
    other.goto(reverse("evidence:submission_list"))
    listed = other.get_by_role("main").inner_text()
    assert "Agency B" in listed and "We adopted the invented standard." not in listed
    assert other.get_by_role("link", name="by A").count() == 0
    response = other.goto(reverse("evidence:submission_detail", args=[submission.pk]))
    assert response.status == 404
    assert "We adopted" not in other.content()


def test_evidence_can_be_sent_with_the_keyboard_alone(w6_recs, open_as, agency_a_user, tmp_path):
    page = open_as(agency_a_user)
    page.goto(reverse("recommendations:my_actions"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    # Tab to the action's "Send evidence" link and follow it.
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.tagName, document.activeElement.textContent]"
        )
        # (The table's scrolling box takes focus too, holding every link's text.)
        if focused[0] == "A" and "Send evidence for SCR W6 1" in focused[1]:
            break
    else:
        pytest.fail("the Send evidence link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Send evidence").wait_for()

    def tab_to(label):
        for _ in range(30):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "document.activeElement.labels && document.activeElement.labels[0]"
                " ? document.activeElement.labels[0].textContent.trim() : ''"
            )
            if focused.startswith(label):
                return
        pytest.fail(f"{label!r} cannot be reached with Tab")

    tab_to("What your agency did")
    page.keyboard.type("We adopted the invented standard.")
    tab_to("What difference it made")
    page.keyboard.type("An invented audit found it in use.")
    tab_to("Files")
    document = tmp_path / "audit.pdf"
    document.write_bytes(make_pdf(["Invented audit."]))
    # Space opens the file chooser (Enter does too); under load the first key
    # can arrive before the chooser is ready, so one more try with Enter.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for key in ("Space", "Enter"):
        try:
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.keyboard.press(key)
            break
        except PlaywrightTimeout:
            continue
    else:
        pytest.fail("the file chooser cannot be opened from the keyboard")
    chooser.value.set_files(str(document))
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Send evidence":
            break
    page.keyboard.press("Enter")
    page.get_by_text("Your evidence was sent to the partnership.").wait_for()
    assert Submission.objects.filter(agency=agency_a_user.agency).count() == 1


def test_a_refusal_keeps_what_was_typed_and_works_without_javascript(
    w6_recs, open_as, agency_a_user
):
    page = open_as(agency_a_user, java_script_enabled=False)
    page.goto(reverse("evidence:submission_create") + f"?action={w6_recs[1].actions.first().pk}")
    page.get_by_label("What your agency did").fill("We adopted the invented standard.")
    page.get_by_role("button", name="Send evidence").click()
    summary = page.locator(".govuk-error-summary")
    assert "Describe the impact" in summary.inner_text()
    assert "Choose at least one file." in summary.inner_text()
    assert page.get_by_label("What your agency did").input_value() == (
        "We adopted the invented standard."
    )
    assert Submission.objects.filter(agency=agency_a_user.agency).count() == 0


def test_a_partner_executive_is_told_of_a_sign_off_and_signs_for_their_agency(
    w6_recs, open_as, manager
):
    """The executive's "Needs your attention": a manager's sign-off appears
    there (and by notification), and goes once the executive signs it off."""
    from scr_tracker.accounts.roles import EXECUTIVE

    police = factories.make_agency(
        "Invented Police", short_name="Police", is_statutory_partner=True
    )
    chief = factories.make_user(EXECUTIVE, agency=police, username="police-chief")
    rec = w6_recs[3]
    with factories.setup_changes():
        rec.rating, rec.rating_rationale = "complete", "Done."
        rec.save()
    board = open_as(chief)
    board.goto(reverse("reporting:dashboard"))
    waiting = board.get_by_role("region", name="Needs your attention")
    assert "Nothing needs you now." in waiting.inner_text()
    factories.make_sign_off(rec, manager)  # the manager acts
    board.reload()
    assert waiting.get_by_role("link").all_inner_texts() == ["1 sign-offs waiting for Police"]
    waiting.get_by_role("link", name="1 sign-offs waiting for Police").click()
    board.get_by_role("link", name=f"SCR W6 {rec.number}: {rec.short_title}").click()
    board.get_by_role("button", name="Add Invented Police's sign-off").click()
    board.get_by_text("Your sign-off for Invented Police was recorded.").wait_for()
    board.goto(reverse("reporting:dashboard"))
    assert "Nothing needs you now." in waiting.inner_text()
