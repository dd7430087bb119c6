"""Outcomes and impact, apart from the delivery rating: a recommendation's
intended outcome and measure; after sign-off, its impact review comes due in
the manager's attention list and on the dashboard, and the judgement (kept in
history) shows on its page and in the board pack, and ends the item."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.models import ImpactJudgement
from scr_tracker.reporting import board
from tests import factories, snapshot
from tests.test_attention import attention_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def signed(w6, manager):
    rec = w6.recommendations.get(number=5)
    with factories.setup_changes():
        rec.rating, rec.rating_rationale = "complete", "Signed off."
        rec.impact_review_date = TODAY - datetime.timedelta(days=2)
        rec.save()
    factories.make_sign_off(rec, manager)
    return rec


def test_the_intended_outcome_is_recorded_as_a_versioned_edit(w6, manager_client):
    rec = w6.recommendations.get(number=2)
    url = reverse("recommendations:outcome_change", args=[rec.pk])
    refused = manager_client.post(url, {"version": rec.version})
    assert refused.status_code == 400
    assert "Say what should be different for children and families." in refused.content.decode()
    saved = manager_client.post(
        url,
        {
            "version": rec.version,
            "intended_outcome": "Children on plans are seen alone at every visit.",
            "outcome_measure": "A quarterly audit of 40 case records.",
        },
    )
    assert saved.status_code == 302
    rec.refresh_from_db()
    assert rec.intended_outcome == "Children on plans are seen alone at every visit."
    assert rec.history.first().history_change_reason == "Intended outcome and its measure recorded"
    page = manager_client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    assert "Measured by: A quarterly audit of 40 case records." in page.content.decode()


def test_an_impact_review_comes_due_and_the_judgement_ends_it(signed, manager_client, manager):
    dashboard = reverse("reporting:dashboard")
    assert attention_of(manager_client, dashboard)["impact reviews due"] == 1
    due = manager_client.get(dashboard).content.decode().split('id="impact-due"')[1]
    assert reverse("recommendations:impact_judge", args=[signed.pk]) in due

    url = reverse("recommendations:impact_judge", args=[signed.pk])
    before = snapshot.take()
    refused = manager_client.post(url, {"judgement": "partly"})
    assert refused.status_code == 400
    assert "Say what the judgement rests on" in refused.content.decode()
    snapshot.assert_unchanged(before)
    saved = manager_client.post(
        url, {"judgement": "partly", "narrative": "The audit found it in 30 of 40 records."}
    )
    assert saved.status_code == 302
    judged = ImpactJudgement.objects.get()
    assert (judged.judgement, judged.judged_by, judged.judged_on) == ("partly", manager, TODAY)
    assert judged.history.get().history_change_reason == "Impact judged: Impact partly evidenced"
    # The delivery rating is untouched, and the sign-off is still current.
    signed.refresh_from_db()
    assert signed.rating == "complete"
    page = manager_client.get(reverse("recommendations:recommendation_detail", args=[signed.pk]))
    shown = page.content.decode()
    assert "<strong>Impact partly evidenced</strong>" in shown
    assert "Needs signing off again" not in shown
    assert "impact reviews due" not in attention_of(manager_client, dashboard)

    pack = factories.make_board_pack(signed.review, manager)
    row = next(r for r in board.shown_rows(pack) if r["id"] == signed.pk)
    assert row["impact"] == "Impact partly evidenced"


def test_the_impact_is_judged_only_after_sign_off(w6, manager_client):
    rec = w6.recommendations.get(number=3)
    response = manager_client.get(reverse("recommendations:impact_judge", args=[rec.pk]))
    assert response.status_code == 302
    assert not ImpactJudgement.objects.exists()


def test_the_judgement_may_rest_on_the_recommendations_accepted_evidence(
    signed, manager, manager_client, agency_a, agency_b, agency_a_user, agency_b_user
):
    now = timezone.now()
    reviewed = {"state": "accepted", "reviewed_by": manager, "reviewed_at": now}
    from_a = factories.make_submission(
        factories.make_action(recommendation=signed, agency=agency_a), agency_a_user, **reviewed
    )
    from_b = factories.make_submission(
        factories.make_action(recommendation=signed, agency=agency_b), agency_b_user, **reviewed
    )
    factories.make_submission(from_a.action, agency_a_user)  # waiting: not offered
    elsewhere = factories.make_submission(
        factories.make_action(agency=agency_a), agency_a_user, **reviewed
    )
    url = reverse("recommendations:impact_judge", args=[signed.pk])
    offered = manager_client.get(url).context["form"].fields["evidence"].queryset
    assert set(offered) == {from_a, from_b}

    before = snapshot.take()
    refused = manager_client.post(
        url, {"judgement": "evidenced", "narrative": "Audited.", "evidence": [elsewhere.pk]}
    )
    assert refused.status_code == 400
    assert "only this recommendation&#x27;s accepted evidence" in refused.content.decode()
    snapshot.assert_unchanged(before)

    saved = manager_client.post(
        url,
        {"judgement": "evidenced", "narrative": "Audited.", "evidence": [from_a.pk, from_b.pk]},
    )
    assert saved.status_code == 302
    judged = ImpactJudgement.objects.get()
    assert {link.submission for link in judged.evidence_links.all()} == {from_a, from_b}

    page = reverse("recommendations:recommendation_detail", args=[signed.pk])
    shown = manager_client.get(page).content.decode().split('id="impact-evidence"')[1]
    assert "Evidence from Agency A (test)" in shown and "Evidence from Agency B (test)" in shown
    client_a = Client()
    client_a.force_login(agency_a_user)
    theirs = client_a.get(page).content.decode().split('id="impact-evidence"')[1]
    theirs = theirs.split("</ul>")[0]
    assert "Evidence from Agency A (test)" in theirs and "Agency B" not in theirs

    pack = factories.make_board_pack(signed.review, manager)
    row = next(r for r in board.shown_rows(pack) if r["id"] == signed.pk)
    assert row["impact"] == "Impact evidenced (rests on 2 pieces of accepted evidence)"
