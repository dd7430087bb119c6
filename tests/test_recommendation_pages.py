"""The dashboard, the recommendation page and each role's home page."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation
from scr_tracker.audit import changes_by
from tests import factories

DASHBOARD = reverse("reporting:dashboard")
MY_ACTIONS = reverse("recommendations:my_actions")


def test_signed_out_visitors_are_sent_to_sign_in(client, w6):
    for url in ("/", DASHBOARD, MY_ACTIONS):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    rec = w6.recommendations.first()
    response = client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("persona", "home"),
    [("manager", DASHBOARD), ("executive", DASHBOARD), ("agency_a_user", MY_ACTIONS)],
)
def test_home_leads_each_role_to_its_own_page(db, client, persona, home, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/").headers["Location"] == home


@pytest.mark.parametrize("persona", ["manager", "executive"])
def test_managers_and_executives_see_all_eleven(client, w6, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert [rec.number for rec in response.context["page"].object_list] == list(range(1, 12))
    assert b"Neglect strategy assurance" in response.content
    counts = {label: count for label, _, count, _ in response.context["counts"]}
    assert counts == {"Red": 0, "Amber": 0, "Green": 0, "Complete": 0, "Not yet rated": 11}


def test_agency_users_get_their_own_actions_not_the_dashboard(w6, agency_a_user, agency_b):
    factories.make_action(recommendation=w6.recommendations.get(number=5), agency=agency_b)
    mine = factories.make_action(
        recommendation=w6.recommendations.get(number=2),
        agency=agency_a_user.agency,
        description="Invented action for agency A",
    )
    client = Client()
    client.force_login(agency_a_user)
    assert client.get(DASHBOARD).headers["Location"] == MY_ACTIONS
    response = client.get(MY_ACTIONS)
    assert list(response.context["actions"]) == [mine]
    assert "Invented action for agency A" in response.content.decode()
    other = w6.recommendations.get(number=5)
    detail = reverse("recommendations:recommendation_detail", args=[other.pk])
    assert client.get(detail).status_code == 404


def test_a_user_with_no_role_is_refused(client, w6):
    client.force_login(factories.make_user())
    assert client.get("/").status_code == 403
    assert client.get(DASHBOARD).status_code == 403
    rec = w6.recommendations.first()
    detail = reverse("recommendations:recommendation_detail", args=[rec.pk])
    assert client.get(detail).status_code == 404


def test_the_page_shows_verbatim_text_sub_points_and_history(client, w6, executive):
    rec = w6.recommendations.get(number=9)
    client.force_login(executive)
    response = client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    content = response.content.decode()
    assert rec.text in content
    for point in rec.sub_points:
        assert f"<li>{point}</li>" in content
    assert "Loaded from w6.json" in content
    assert "not published" in content


def _rate(rec, user, rating, reason, **fields):
    with changes_by(user, reason):
        rec.rating, rec.rating_rationale = rating, reason
        for name, value in fields.items():
            setattr(rec, name, value)
        rec.save()


def test_the_timeline_says_who_changed_what_and_why(client, w6, manager):
    rec = w6.recommendations.get(number=3)
    _rate(rec, manager, "amber", "Half the audits are done")
    _rate(rec, manager, "green", "All audits are done")
    client.force_login(manager)
    response = client.get(reverse("recommendations:recommendation_detail", args=[rec.pk]))
    timeline = response.context["timeline"]
    assert [e.why for e in timeline[:2]] == ["All audits are done", "Half the audits are done"]
    newest = timeline[0]
    assert newest.who == manager
    assert ("Rating", "Amber", "Green") in [(c.label, c.old, c.new) for c in newest.changes]


def test_in_a_shared_recommendation_other_agencies_officers_appear_as_their_agency(
    client, w6, manager, agency_a_user, agency_b_user
):
    """Need to know (docs/decisions.md): agency A's users see the shared action
    plan, but agency B's officers as "an officer of" agency B, never by name,
    and not whether agency B has sent evidence; their own colleagues and the
    partnership's staff by name."""
    rec = w6.recommendations.get(number=1)
    agency_b_user.first_name, agency_b_user.last_name = "Invented", "Bofficer"
    with factories.setup_changes():
        agency_b_user.save()
    mine = factories.make_action(recommendation=rec, agency=agency_a_user.agency)
    theirs = factories.make_action(recommendation=rec, agency=agency_b_user.agency)
    with changes_by(agency_b_user, "Progress on our part"):
        theirs.state = "in_progress"
        theirs.save()
    with changes_by(agency_b_user, "Evidence submitted by the agency"):
        theirs.state = "evidence_submitted"
        theirs.save()
    with changes_by(agency_a_user, "Progress on ours"):
        mine.state = "in_progress"
        mine.save()
    _rate(rec, manager, "amber", "Half the audits are done")
    url = reverse("recommendations:recommendation_detail", args=[rec.pk])
    client.force_login(agency_a_user)
    page = client.get(url)
    assert "Bofficer" not in page.text
    assert f"by an officer of {agency_b_user.agency.name}" in page.text
    assert f"by {agency_a_user.get_full_name() or agency_a_user.username}" in page.text
    assert f"by {manager.get_full_name() or manager.username}" in page.text
    # Nor whether agency B has sent evidence: its action reads as in progress,
    # and the reasons for its changes are not shown.
    assert "Evidence submitted" not in page.text and "Progress on our part" not in page.text
    row = page.text.split(f'data-action="{theirs.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "In progress" in row
    assert "Progress on ours" in page.text  # their own agency's reasons, in full
    export = client.get(reverse("reporting:export_csv"))
    csv = b"".join(export.streaming_content).decode()
    assert f"{agency_b_user.agency.name}: in progress" in csv
    assert "evidence submitted" not in csv.lower()
    # The partnership's own staff see names, states and reasons.
    client.force_login(manager)
    full = client.get(url).text
    assert "Invented Bofficer" in full and "Evidence submitted" in full


@pytest.fixture
def rated(w6, manager, agency_a_user):
    """Recommendation 1 went red to green this week; 2 slipped its date; 3 is overdue."""
    today = timezone.localdate()
    recs = {rec.number: rec for rec in w6.recommendations.all()}
    _rate(recs[1], manager, "red", "Nothing yet")
    _rate(recs[1], manager, "green", "Policy adopted")
    _rate(recs[2], manager, "amber", "Planned", target_date=today + datetime.timedelta(10))
    with changes_by(manager, "Target date changed: trainers unavailable"):
        recs[2].target_date = today + datetime.timedelta(40)
        recs[2].save()
    _rate(recs[3], manager, "red", "Late", target_date=today - datetime.timedelta(1))
    action = factories.make_action(recommendation=recs[1], agency=agency_a_user.agency)
    factories.make_submission(action, agency_a_user, summary="Invented summary")
    return recs


def test_what_changed_lists_ratings_slipped_dates_and_new_evidence(client, rated, executive):
    client.force_login(executive)
    response = client.get(DASHBOARD)
    changes = response.context["changes"]
    assert [(c.reference, c.old, c.new) for c in changes.ratings] == [
        ("SCR W6 3", "Not yet rated", "Red"),
        ("SCR W6 2", "Not yet rated", "Amber"),
        ("SCR W6 1", "Red", "Green"),
        ("SCR W6 1", "Not yet rated", "Red"),
    ]
    assert [(c.reference, c.why) for c in changes.dates] == [
        ("SCR W6 2", "Target date changed: trainers unavailable")
    ]
    assert [s.action.recommendation.number for s in changes.evidence] == [1]
    # Executives see that evidence arrived, never what it says.
    assert "Invented summary" not in response.content.decode()


def test_changes_before_the_chosen_date_are_left_out(client, rated, executive):
    client.force_login(executive)
    tomorrow = timezone.localdate() + datetime.timedelta(1)
    response = client.get(DASHBOARD, {"since": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "must be today or earlier" in response.content.decode()
    response = client.get(DASHBOARD, {"since": timezone.localdate().isoformat()})
    assert len(response.context["changes"].ratings) == 4
    Recommendation.history.update(history_date=timezone.now() - datetime.timedelta(days=60))
    response = client.get(DASHBOARD)
    assert response.context["changes"].ratings == []


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({"rating": "green"}, [1]),
        ({"rating": "none"}, [4, 5, 6, 7, 8, 9, 10, 11]),
        ({"overdue": "on"}, [3]),
        ({"agency": "AGENCY"}, [1]),
    ],
)
def test_filters_narrow_the_table_and_the_counts(client, rated, manager, agency_a, query, numbers):
    if query.get("agency") == "AGENCY":
        query = {"agency": str(agency_a.pk)}
    client.force_login(manager)
    response = client.get(DASHBOARD, query)
    assert [rec.number for rec in response.context["page"].object_list] == numbers
    counts = {label: count for label, _, count, _ in response.context["counts"]}
    if "rating" in query:
        # The counts leave the rating filter out (each links to its own rating).
        assert counts["Green" if query["rating"] == "green" else "Not yet rated"] == len(numbers)
        assert sum(counts.values()) == 11
    else:
        assert sum(counts.values()) == len(numbers)


def test_a_bad_filter_says_what_to_fix(client, rated, manager):
    client.force_login(manager)
    response = client.get(DASHBOARD, {"rating": "purple"})
    assert response.status_code == 400
    assert "Choose a rating from the list." in response.content.decode()


def test_the_trend_counts_ratings_at_each_month_end(client, rated, executive):
    client.force_login(executive)
    bars = client.get(DASHBOARD).context["trend"]["bars"]
    # All history is from today: one month, ending now, with today's ratings.
    assert len(bars) == 1
    red, amber, green, complete, unrated = bars[0].counts
    assert (red, amber, green, complete, unrated) == (1, 1, 1, 0, 8)


def test_the_trend_goes_back_month_by_month(client, rated, executive):
    """A rating set 70 days ago shows in the earlier month ends; today's change only now."""
    rec = rated[1]
    Recommendation.history.filter(id=rec.pk).update(
        history_date=timezone.now() - datetime.timedelta(days=70)
    )
    latest = Recommendation.history.filter(id=rec.pk).order_by("-history_id").first()
    Recommendation.history.filter(history_id=latest.history_id).update(history_date=timezone.now())
    client.force_login(executive)
    bars = client.get(DASHBOARD).context["trend"]["bars"]
    assert len(bars) >= 3
    assert bars[0].counts[0] == 1  # red at the first month end
    assert bars[-1].counts[2] == 1  # green now
