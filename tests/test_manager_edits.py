"""A business manager's edits: target dates, actions, rating definitions and
evidence reviews, each with its history, and each refusal changing nothing."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Action, RatingDefinition
from tests import factories, snapshot


def date_fields(prefix, value):
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }


def test_a_new_target_date_keeps_the_first_and_records_why(manager_client, manager):
    first = datetime.date(2027, 3, 31)
    rec = factories.make_recommendation(target_date=first, original_target_date=first)
    url = reverse("recommendations:target_date_change", args=[rec.pk])
    later = datetime.date(2027, 9, 30)
    data = {**date_fields("target_date", later), "reason": "Trainers unavailable", "version": "1"}
    assert manager_client.post(url, data).status_code == 302
    rec.refresh_from_db()
    assert (rec.target_date, rec.original_target_date, rec.version) == (later, first, 2)
    latest = rec.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        manager,
        "Target date changed: Trainers unavailable",
    )
    page = manager_client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    assert "Originally 31 March 2027" in page.content.decode()


def test_the_first_target_date_set_becomes_the_original(manager_client):
    rec = factories.make_recommendation()
    url = reverse("recommendations:target_date_change", args=[rec.pk])
    day = datetime.date(2028, 1, 15)
    data = {**date_fields("target_date", day), "reason": "Agreed at the board", "version": "1"}
    manager_client.post(url, data)
    rec.refresh_from_db()
    assert (rec.target_date, rec.original_target_date) == (day, day)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"target_date_day": "31", "target_date_month": "2", "target_date_year": "2030"},
            "New target date must be a real date.",
        ),
        (
            {"target_date_day": "1", "target_date_month": "", "target_date_year": "2030"},
            "New target date must include a month.",
        ),
        (
            {"target_date_day": "x", "target_date_month": "2", "target_date_year": "2030"},
            "Enter the date in numbers, for example 27 3 2027.",
        ),
        ({}, "Enter the new target date."),
        (
            {
                "target_date_day": "1",
                "target_date_month": "2",
                "target_date_year": "2030",
                "reason": "",
            },
            "Say why the target date is changing.",
        ),
        (
            {"target_date_day": "31", "target_date_month": "3", "target_date_year": "2027"},
            "That is already the target date. Enter a different date.",
        ),
    ],
)
def test_a_bad_target_date_says_what_to_fix_and_keeps_the_input(manager_client, fields, message):
    first = datetime.date(2027, 3, 31)
    rec = factories.make_recommendation(target_date=first, original_target_date=first)
    url = reverse("recommendations:target_date_change", args=[rec.pk])
    data = {"reason": "Because", "version": "1", **fields}
    before = snapshot.take()
    response = manager_client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    snapshot.assert_unchanged(before)
    if fields.get("target_date_year"):
        assert f'value="{fields["target_date_year"]}"' in response.content.decode()


def test_an_action_is_assigned_and_the_agency_sees_it(manager_client, agency_a, agency_a_user):
    rec = factories.make_recommendation()
    due = timezone.localdate() + datetime.timedelta(days=45)
    response = manager_client.post(
        reverse("recommendations:action_create", args=[rec.pk]),
        {
            "agency": str(agency_a.pk),
            "description": "Audit the invented escalation procedure.",
            **date_fields("due_date", due),
            "reason": "",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(recommendation=rec)
    assert (action.agency, action.due_date, action.state) == (agency_a, due, "not_started")
    assert action.history.get().history_change_reason == f"Action assigned to {agency_a.name}"
    agency = Client()
    agency.force_login(agency_a_user)
    page = agency.get(reverse("recommendations:my_actions")).content.decode()
    assert "Audit the invented escalation procedure." in page


def test_an_action_with_evidence_stays_with_its_agency(manager_client, agency_a, agency_b, manager):
    action = factories.make_action(agency=agency_a)
    factories.make_submission(action)
    url = reverse("recommendations:action_edit", args=[action.pk])
    data = {
        "agency": str(agency_b.pk),
        "description": "Reworded.",
        "state": "in_progress",
        "reason": "Reworded after the board",
        "version": "1",
    }
    assert manager_client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert (action.agency, action.description, action.version) == (agency_a, "Reworded.", 2)
    latest = action.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        manager,
        "Reworded after the board",
    )


def test_an_action_edit_needs_a_reason(manager_client, agency_a):
    action = factories.make_action(agency=agency_a)
    url = reverse("recommendations:action_edit", args=[action.pk])
    data = {
        "agency": str(agency_a.pk),
        "description": "New.",
        "state": "in_progress",
        "version": "1",
    }
    before = snapshot.take()
    response = manager_client.post(url, data)
    assert response.status_code == 400
    assert "Say why you are making this change." in response.content.decode()
    snapshot.assert_unchanged(before)


def test_a_rating_definition_is_changed_with_history(manager_client, manager):
    url = reverse("recommendations:rating_definition_edit", args=["green"])
    definition = RatingDefinition.objects.get(rating="green")
    data = {"definition": "On track, with evidence accepted.", "version": str(definition.version)}
    assert manager_client.post(url, data).status_code == 302
    definition.refresh_from_db()
    assert definition.definition == "On track, with evidence accepted."
    latest = definition.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        manager,
        "Definition of Green changed",
    )
    dashboard = manager_client.get(reverse("reporting:dashboard")).content.decode()
    assert "On track, with evidence accepted." in dashboard


@pytest.mark.parametrize(
    ("decision", "note", "action_state", "submission_state"),
    [
        ("accepted", "", "assured", "accepted"),
        ("returned", "Send the audit's summary.", "in_progress", "returned"),
    ],
)
def test_a_review_moves_the_action(
    manager_client, agency_a_user, decision, note, action_state, submission_state
):
    action = factories.make_action(agency=agency_a_user.agency, state="evidence_submitted")
    submission = factories.make_submission(action, agency_a_user)
    url = reverse("evidence:submission_review", args=[submission.pk])
    assert manager_client.post(url, {"decision": decision, "note": note}).status_code == 302
    action.refresh_from_db()
    submission.refresh_from_db()
    assert (action.state, submission.state) == (action_state, submission_state)
    assert action.history.latest().history_change_reason == f"Evidence {decision}"


def test_after_a_return_the_agency_is_offered_to_send_it_again(agency_a_user, manager):
    action = factories.make_action(agency=agency_a_user.agency)
    submission = factories.make_submission(
        action,
        agency_a_user,
        state="returned",
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        reviewer_note="Send the audit's summary.",
    )
    client = Client()
    client.force_login(agency_a_user)
    page = client.get(reverse("evidence:submission_detail", args=[submission.pk]))
    content = page.content.decode()
    assert ">Send it again</a>" in content
    assert reverse("evidence:send_again", args=[submission.pk]) in content
    home = client.get(reverse("recommendations:my_actions")).content.decode()
    assert "Send the audit" in home
