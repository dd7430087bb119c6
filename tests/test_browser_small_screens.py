"""At 375 px wide (a small phone), the main pages of each role never scroll
sideways: tables scroll inside their own box, and a long unbroken string
(here in a title, an action, a rationale and a summary) wraps. Each page also
passes axe at that width; screenshots are kept."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.browser import axe_violations, describe, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG = "Unbroken" + "x" * 60  # as a careless paste would be
PHONE = {"width": 375, "height": 800}


@pytest.fixture
def world(w6, agency_a, agency_b, manager, executive, agency_a_user):
    today = timezone.localdate()
    rec = w6.recommendations.get(number=1)
    with factories.setup_changes():
        rec.short_title = LONG[:80]
        rec.rating, rec.rating_rationale = "amber", f"Partly done. {LONG * 3}"
        rec.target_date = today + datetime.timedelta(days=30)
        rec.save()
    action = factories.make_action(
        recommendation=rec, agency=agency_a, description=f"Audit supervision. {LONG}"
    )
    factories.make_action(recommendation=rec, agency=agency_b)
    submission = factories.make_submission(action, agency_a_user, summary=f"Audited. {LONG}")
    factories.make_file(submission, name=f"{LONG}.txt")
    factories.make_request(action, manager, due_date=today + datetime.timedelta(days=5))
    factories.make_progress(action, agency_a_user, text=f"Training booked. {LONG}")
    returned = factories.make_submission(
        action,
        agency_a_user,
        state="returned",
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        reviewer_note=f"Send the sample. {LONG}",
    )
    pack = factories.make_board_pack(w6, manager)
    return {
        "rec": rec,
        "action": action,
        "submission": submission,
        "returned": returned,
        "pack": pack,
        "review": w6,
    }


PAGES = {
    "manager": [
        ("dashboard", lambda w: reverse("reporting:dashboard")),
        (
            "recommendation",
            lambda w: reverse("recommendations:recommendation_detail", args=[w["rec"].pk]),
        ),
        ("evidence", lambda w: reverse("evidence:submission_list")),
        (
            "evidence-detail",
            lambda w: reverse("evidence:submission_detail", args=[w["submission"].pk]),
        ),
        ("requests", lambda w: reverse("evidence:request_list")),
        ("notifications", lambda w: reverse("evidence:notification_list")),
        ("progress", lambda w: reverse("evidence:action_progress", args=[w["action"].pk])),
        ("ratings", lambda w: reverse("recommendations:review_ratings", args=[w["review"].pk])),
        ("board-pack", lambda w: reverse("reporting:board_pack", args=[w["pack"].pk])),
        ("people", lambda w: reverse("people:people")),
        ("access-log", lambda w: reverse("evidence:access_log")),
    ],
    "agency": [
        ("agency-home", lambda w: reverse("recommendations:my_actions")),
        ("evidence-sent", lambda w: reverse("evidence:submission_list")),
        ("send-evidence", lambda w: reverse("evidence:submission_create")),
        ("agency-requests", lambda w: reverse("evidence:request_list")),
        ("send-again", lambda w: reverse("evidence:send_again", args=[w["returned"].pk])),
        ("agency-progress", lambda w: reverse("evidence:action_progress", args=[w["action"].pk])),
        ("agency-notifications", lambda w: reverse("evidence:notification_list")),
    ],
    "executive": [
        ("executive-dashboard", lambda w: reverse("reporting:dashboard")),
    ],
}


@pytest.mark.parametrize("role", list(PAGES))
def test_no_page_scrolls_sideways_at_375_px(
    world, open_as, role, manager, agency_a_user, executive
):
    person = {"manager": manager, "agency": agency_a_user, "executive": executive}[role]
    page = open_as(person, viewport=PHONE)
    wide, report = [], []
    for name, path in PAGES[role]:
        page.goto(path(world))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 376
                        && !e.closest('.tracker-table-scroll > table'))
                .slice(0, 3).map(e => e.tagName + '.' + e.className)"""
            )
            wide.append(f"{name}: {width} px ({culprits})")
        violations = axe_violations(page)
        report.extend(f"{name}: {line}" for line in describe(violations))
        screenshot(page, f"375-{name}")
    assert not wide, f"pages wider than the screen: {wide}"
    assert not report, "\n".join(report)


def test_a_wide_table_scrolls_in_its_box_with_the_keyboard(world, open_as, manager):
    page = open_as(manager, viewport=PHONE)
    page.goto(reverse("reporting:dashboard"))
    box = page.locator(".tracker-table-scroll").filter(has=page.locator("#recommendations"))
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # wider than the screen: it scrolls
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('#recommendations').parentElement.scrollLeft > 0"
    )
