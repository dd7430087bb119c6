"""An action is Assured only by accepted evidence, or by a business manager's
explicit "assured without evidence" decision with its reason; the sign-off,
the recommendation page, the dashboard and the public summary say which."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from recommendations.models import Action, Recommendation, SignOff
from tests import factories, snapshot
from tests.html_cells import rows_by, text

REASON = "Seen at the invented practice visit"


def _assure(client, action, reason=REASON):
    action.refresh_from_db()
    url = reverse("recommendations:action_assure", args=[action.pk])
    return client.post(url, {"reason": reason, "version": action.version})


def _accept(client, action, user):
    submission = factories.make_submission(action, user)
    url = reverse("evidence:submission_review", args=[submission.pk])
    assert client.post(url, {"decision": "accepted", "note": ""}).status_code == 302


def _sign_off(client, rec):
    rec.refresh_from_db()
    url = reverse("recommendations:sign_off", args=[rec.pk])
    return client.post(url, {"note": "", "version": rec.version})


def test_the_edit_form_cannot_make_an_action_assured(manager_client, action_a):
    form = manager_client.get(reverse("recommendations:action_edit", args=[action_a.pk]))
    offered = [value for value, _ in form.context["form"].fields["state"].choices]
    assert offered == ["not_started", "in_progress"]
    before = snapshot.take()
    response = manager_client.post(
        reverse("recommendations:action_edit", args=[action_a.pk]),
        {
            "agency": action_a.agency_id,
            "description": action_a.description,
            "state": "assured",
            "reason": "Looks done",
            "version": action_a.version,
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    snapshot.assert_unchanged(before)


def test_accepting_evidence_assures_the_action_by_evidence(manager_client, action_a, agency_a):
    user = factories.make_user("agency_user", agency=agency_a)
    _accept(manager_client, action_a, user)
    action_a.refresh_from_db()
    assert (action_a.state, action_a.assurance, action_a.assurance_reason) == (
        "assured",
        "evidence",
        "",
    )
    assert action_a.history.latest().assurance == "evidence"


def test_assured_without_evidence_needs_a_reason(manager_client, action_a):
    before = snapshot.take()
    response = _assure(manager_client, action_a, reason="  ")
    assert response.status_code == 400
    assert "Say why the action is assured without evidence." in response.content.decode()
    snapshot.assert_unchanged(before)


def test_assured_without_evidence_is_kept_with_its_reason_in_history(
    manager_client, manager, action_a
):
    assert _assure(manager_client, action_a).status_code == 302
    action_a.refresh_from_db()
    assert (action_a.state, action_a.assurance, action_a.assurance_reason) == (
        "assured",
        "decision",
        REASON,
    )
    latest = action_a.history.latest()
    assert latest.history_change_reason == f"Assured without evidence: {REASON}"
    assert latest.history_user == manager
    assert (latest.state, latest.assurance, latest.assurance_reason) == (
        "assured",
        "decision",
        REASON,
    )
    # It cannot be recorded twice.
    before = snapshot.take()
    assert _assure(manager_client, action_a).status_code == 400
    snapshot.assert_unchanged(before)


def test_the_database_refuses_assured_without_saying_by_what(action_a):
    action_a.state = "assured"
    with pytest.raises(IntegrityError), transaction.atomic(), factories.setup_changes():
        Action.objects.filter(pk=action_a.pk).update(state="assured", assurance="")
    with pytest.raises(IntegrityError), transaction.atomic(), factories.setup_changes():
        Action.objects.filter(pk=action_a.pk).update(
            state="assured", assurance="decision", assurance_reason=""
        )


def test_moving_an_assured_action_back_clears_its_assurance(manager_client, action_a):
    _assure(manager_client, action_a)
    action_a.refresh_from_db()
    response = manager_client.post(
        reverse("recommendations:action_edit", args=[action_a.pk]),
        {
            "agency": action_a.agency_id,
            "description": action_a.description,
            "state": "in_progress",
            "reason": "The visit found gaps",
            "version": action_a.version,
        },
    )
    assert response.status_code == 302
    action_a.refresh_from_db()
    assert (action_a.state, action_a.assurance, action_a.assurance_reason) == (
        "in_progress",
        "",
        "",
    )


def test_the_sign_off_says_what_it_rests_on(manager_client, agency_a, agency_b):
    rec = factories.make_recommendation()
    by_evidence = factories.make_action(rec, agency_a)
    by_decision = factories.make_action(rec, agency_b)
    _accept(manager_client, by_evidence, factories.make_user("agency_user", agency=agency_a))
    _assure(manager_client, by_decision)
    page = manager_client.get(reverse("recommendations:sign_off", args=[rec.pk]))
    shown = rows_by(page.content.decode(), "data-assured")
    assert sorted(shown.values()) == sorted(
        [[agency_a.name, "Accepted evidence"], [agency_b.name, f"Without evidence {REASON}"]]
    )
    rests_on = (
        f"1 action assured by accepted evidence. 1 action assured without evidence "
        f"({agency_b.name}: {REASON})."
    )
    assert rests_on in text(page.content.decode())
    assert _sign_off(manager_client, rec).status_code == 302
    signed = SignOff.objects.get(recommendation=rec)
    assert signed.rests_on == rests_on
    rec.refresh_from_db()
    assert rec.rating == "complete"
    assert rests_on in rec.rating_rationale
    detail = text(
        manager_client.get(
            reverse("recommendations:recommendation_detail", args=[rec.pk])
        ).content.decode()
    )
    assert f"Rested on: {rests_on}" in detail
    assert f"Assured without accepted evidence: {REASON}" in detail
    assert "every action's evidence was accepted" not in detail.lower()


def test_a_stale_sign_off_shows_on_the_dashboard_and_the_public_summary(
    manager_client, manager, w6, agency_a
):
    rec = w6.recommendations.get(number=4)
    _assure(manager_client, factories.make_action(rec, agency_a))
    assert _sign_off(manager_client, rec).status_code == 302
    summary = text(manager_client.get(reverse("reporting:public_summary")).content.decode())
    assert "needs signing off again" not in summary
    with factories.setup_changes():
        rec = Recommendation.objects.get(pk=rec.pk)
        rec.version += 1
        rec.short_title = "Invented new title"
        rec.save()
    dashboard = manager_client.get(reverse("reporting:dashboard")).content.decode()
    assert rows_by(dashboard, "data-recommendation")[str(rec.pk)][2] == (
        "Complete Needs signing off again"
    )
    summary = text(manager_client.get(reverse("reporting:public_summary")).content.decode())
    assert "Rating: Complete (changed since it was signed off: it needs signing off again)" in (
        summary
    )
