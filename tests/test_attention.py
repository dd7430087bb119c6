"""Needs your attention: for each role, an item appears when someone else acts
and goes when it is done; the numbers on the page and in the menu are the
data's; nobody is counted anything they could not open."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from scr_tracker.accounts.roles import AGENCY_USER, EXECUTIVE
from tests import factories

pytestmark = pytest.mark.django_db


def attention_of(client, page):
    """The "Needs your attention" list as the page says it: {text: count}."""
    html = client.get(page).content.decode()
    box = html.split('id="attention-title"', 1)[1].split("</div>\n</div>", 1)[0]
    found = re.findall(r"<strong>(\d+)</strong> ([^<]+)</a>", box)
    if not found:
        assert "Nothing needs you now." in box
    return {text.strip(): int(count) for count, text in found}


def menu_count(client, page, label):
    html = client.get(page).content.decode()
    item = re.search(
        rf">{re.escape(label)}(?:</strong>)?( <strong class=\"govuk-tag[^>]*>(\d+))?", html
    )
    assert item, f"no menu item {label}"
    return int(item.group(2)) if item.group(2) else 0


def test_the_manager_is_told_of_evidence_then_of_the_sign_off_it_makes_ready(
    w6, manager_client, agency_a, agency_a_user
):
    dashboard = reverse("reporting:dashboard")
    rec = w6.recommendations.get(number=1)
    action = factories.make_action(recommendation=rec, agency=agency_a)
    assert attention_of(manager_client, dashboard) == {}
    assert menu_count(manager_client, dashboard, "Evidence") == 0

    sent = factories.make_submission(action, agency_a_user)  # the agency acts
    assert attention_of(manager_client, dashboard) == {"evidence to review": 1}
    assert menu_count(manager_client, dashboard, "Evidence") == 1
    listed = manager_client.get(reverse("evidence:submission_list") + "?state=submitted")
    assert [s.pk for s in listed.context["submissions"]] == [sent.pk]

    review = reverse("evidence:submission_review", args=[sent.pk])
    assert manager_client.post(review, {"decision": "accepted", "note": "Good."}).status_code == 302
    # Done: the evidence goes, and the recommendation it made ready comes.
    assert attention_of(manager_client, dashboard) == {"recommendations ready to sign off": 1}
    assert menu_count(manager_client, dashboard, "Evidence") == 0


def test_an_agency_is_told_of_a_request_until_it_sends_the_evidence(
    w6, manager, agency_a, agency_a_user, agency_b_user
):
    rec = w6.recommendations.get(number=1)
    action = factories.make_action(recommendation=rec, agency=agency_a)
    officer = Client()
    officer.force_login(agency_a_user)
    home = reverse("recommendations:my_actions")
    assert attention_of(officer, home) == {}
    factories.make_request(action, manager)  # the manager acts
    assert attention_of(officer, home) == {"requests for evidence": 1}
    assert menu_count(officer, home, "Requests") == 1
    other = Client()
    other.force_login(agency_b_user)  # agency B is told nothing of A's request
    assert attention_of(other, home) == {}

    sent = officer.post(  # the agency does what was asked
        reverse("evidence:submission_create"),
        {
            "action": action.pk,
            "summary": "Invented audit done.",
            "impact": "It changed.",
            "files": SimpleUploadedFile("audit.txt", b"An invented audit.\n", "text/plain"),
        },
    )
    assert sent.status_code == 302
    assert "requests for evidence" not in attention_of(officer, home)


def test_returned_evidence_waits_until_it_is_sent_again(w6, agency_a, agency_a_user, manager):
    action = factories.make_action(recommendation=w6.recommendations.get(number=2), agency=agency_a)
    officer = Client()
    officer.force_login(agency_a_user)
    home = reverse("recommendations:my_actions")
    factories.make_submission(
        action,
        agency_a_user,
        state="returned",
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        reviewer_note="Send the audit's summary too.",
    )
    assert attention_of(officer, home)["pieces of evidence returned to you"] == 1
    factories.make_submission(action, agency_a_user)  # sent again
    assert "pieces of evidence returned to you" not in attention_of(officer, home)


def test_a_partner_executive_is_told_of_a_sign_off_waiting_for_their_agency(w6, manager):
    police = factories.make_agency(
        "Invented Police", short_name="Police", is_statutory_partner=True
    )
    executive = factories.make_user(EXECUTIVE, agency=police)
    client = Client()
    client.force_login(executive)
    dashboard = reverse("reporting:dashboard")
    assert attention_of(client, dashboard) == {}
    rec = w6.recommendations.get(number=3)
    with factories.setup_changes():
        rec.rating, rec.rating_rationale = "complete", "Done."
        rec.save()
    factories.make_sign_off(rec, manager)  # the manager signs off
    assert attention_of(client, dashboard) == {"sign-offs waiting for Police": 1}
    page = client.get(dashboard).content.decode()
    assert (
        reverse("recommendations:recommendation_detail", args=[rec.pk])
        in page.split('id="partner-sign-offs"')[1]
    )
    response = client.post(reverse("recommendations:partner_sign_off", args=[rec.pk]))
    assert response.status_code == 302
    assert attention_of(client, dashboard) == {}


def test_actions_of_an_agency_with_nobody_are_flagged_to_managers(w6, manager_client):
    empty = factories.make_agency("Invented Trust", short_name="Trust")
    factories.make_action(recommendation=w6.recommendations.get(number=4), agency=empty)
    dashboard = reverse("reporting:dashboard")
    said = attention_of(manager_client, dashboard)
    assert said == {"actions whose agency has nobody to send evidence": 1}
    factories.make_user(AGENCY_USER, agency=empty)
    assert attention_of(manager_client, dashboard) == {}


def test_a_restricted_review_is_never_counted_to_people_without_access(
    manager_client, agency_a, agency_a_user
):
    review = factories.make_review("TEST HIDDEN", is_restricted=True)
    rec = factories.make_recommendation(review=review, number=1)
    action = factories.make_action(recommendation=rec, agency=agency_a)
    factories.make_submission(action, agency_a_user)
    assert attention_of(manager_client, reverse("reporting:dashboard")) == {}
