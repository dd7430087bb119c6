"""The long lists (evidence, requests, held files, an agency's actions) have a
stable order, the filters that matter, and pages of 50; the filters keep to
what the person may see."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def listed(response, key):
    return [row.pk for row in response.context[key]]


def test_evidence_is_filtered_by_agency_review_state_and_date(
    manager_client, agency_a, agency_b, agency_a_user, agency_b_user
):
    second = factories.make_review("CSPR Q9", title="Invented second review")
    a_first = factories.make_action(agency=agency_a)
    b_second = factories.make_action(
        recommendation=factories.make_recommendation(second, 1), agency=agency_b
    )
    old = factories.make_submission(a_first, agency_a_user)
    with factories.setup_changes():
        old.submitted_at = timezone.now() - datetime.timedelta(days=40)
        old.save()
    new_a = factories.make_submission(a_first, agency_a_user)
    new_b = factories.make_submission(b_second, agency_b_user, state="withdrawn")
    url = reverse("evidence:submission_list")
    assert listed(manager_client.get(url), "submissions") == [new_b.pk, new_a.pk, old.pk]
    assert listed(manager_client.get(url, {"agency": agency_a.pk}), "submissions") == [
        new_a.pk,
        old.pk,
    ]
    assert listed(manager_client.get(url, {"review": second.pk}), "submissions") == [new_b.pk]
    assert listed(manager_client.get(url, {"state": "withdrawn"}), "submissions") == [new_b.pk]
    since = TODAY - datetime.timedelta(days=10)
    dated = {"since_day": since.day, "since_month": since.month, "since_year": since.year}
    response = manager_client.get(url, dated)
    assert listed(response, "submissions") == [new_b.pk, new_a.pk]
    assert "that match the filters" in response.content.decode()


def test_an_agency_user_filters_only_their_own_evidence(
    agency_a, agency_b, agency_a_user, agency_b_user
):
    mine = factories.make_submission(factories.make_action(agency=agency_a), agency_a_user)
    factories.make_submission(factories.make_action(agency=agency_b), agency_b_user)
    client = Client()
    client.force_login(agency_a_user)
    response = client.get(reverse("evidence:submission_list"), {"agency": agency_b.pk})
    assert "agency" not in response.context["filters"].fields
    assert listed(response, "submissions") == [mine.pk]


def test_requests_come_fifty_a_page_open_ones_first_and_filter(
    manager_client, manager, agency_a, agency_b
):
    action_a = factories.make_action(agency=agency_a)
    action_b = factories.make_action(agency=agency_b)
    for n in range(52):
        factories.make_request(action_a, manager, due_date=TODAY + datetime.timedelta(days=n + 1))
    answered = factories.make_request(action_b, manager, state="answered")
    url = reverse("evidence:request_list")
    first = manager_client.get(url)
    assert len(first.context["requests"]) == 50
    assert first.context["page"].paginator.count == 53
    dues = [asked.due_date for asked in first.context["requests"]]
    assert dues == sorted(dues)  # open ones first, soonest due first
    last = manager_client.get(url, {"page": 2})
    assert [r.pk for r in last.context["requests"]][-1] == answered.pk
    assert listed(manager_client.get(url, {"state": "answered"}), "requests") == [answered.pk]
    assert listed(manager_client.get(url, {"agency": agency_b.pk}), "requests") == [answered.pk]
    filtered = manager_client.get(url, {"agency": agency_a.pk}).content.decode()
    assert f"?agency={agency_a.pk}&amp;page=2" in filtered  # the pages keep the filter


def test_an_agencys_actions_come_fifty_a_page_soonest_due_first(w6, agency_a, agency_a_user):
    rec = w6.recommendations.get(number=1)
    for n in range(55):
        factories.make_action(
            recommendation=rec, agency=agency_a, due_date=TODAY + datetime.timedelta(days=55 - n)
        )
    client = Client()
    client.force_login(agency_a_user)
    first = client.get(reverse("recommendations:my_actions"))
    dues = [action.due_date for action in first.context["actions"]]
    assert len(dues) == 50 and dues == sorted(dues)
    assert "55 actions: 1 to 50, soonest due first" in first.content.decode()
    second = client.get(reverse("recommendations:my_actions"), {"page": 2})
    assert len(second.context["actions"]) == 5
