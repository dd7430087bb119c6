"""No lost updates (catalogue CC-01…CC-04): an edit drawn from an older version
is refused with the current value shown and the editor's input kept."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from recommendations.concurrency import STALE_FORM
from recommendations.models import Action, RatingDefinition
from scr_tracker.accounts.roles import BUSINESS_MANAGER
from tests import factories, snapshot


def two_managers():
    clients = []
    for name, full in [("bm-1", "Bea One"), ("bm-2", "Ben Two")]:
        first, last = full.split()
        user = factories.make_user(
            BUSINESS_MANAGER, username=name, first_name=first, last_name=last
        )
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


# Each edit form: (url name, how to make the object, two rival edits' data, how to read
# the edited value, and the value each edit leaves).
EDITS = {
    "rating": (
        "recommendations:rating_change",
        lambda: factories.make_recommendation(),
        [
            {"rating": "green", "rating_rationale": "Audits show it works."},
            {"rating": "red", "rating_rationale": "My rival view of it."},
        ],
        lambda obj: obj.rating,
        ("green", "red"),
    ),
    "target date": (
        "recommendations:target_date_change",
        lambda: factories.make_recommendation(),
        [
            {
                "target_date_day": "1",
                "target_date_month": "6",
                "target_date_year": "2030",
                "reason": "Trainers unavailable.",
            },
            {
                "target_date_day": "1",
                "target_date_month": "9",
                "target_date_year": "2031",
                "reason": "My rival view of it.",
            },
        ],
        lambda obj: obj.target_date.isoformat(),
        ("2030-06-01", "2031-09-01"),
    ),
    "action": (
        "recommendations:action_edit",
        lambda: factories.make_action(description="First wording."),
        [
            {"description": "Second wording.", "state": "in_progress", "reason": "Clearer."},
            {"description": "My rival view of it.", "state": "not_started", "reason": "Mine."},
        ],
        lambda obj: obj.description,
        ("Second wording.", "My rival view of it."),
    ),
    "definition": (
        "recommendations:rating_definition_edit",
        lambda: RatingDefinition.objects.get(rating="amber"),
        [{"definition": "At risk."}, {"definition": "My rival view of it."}],
        lambda obj: obj.definition,
        ("At risk.", "My rival view of it."),
    ),
}


def _url(name, obj):
    return reverse(name, args=[obj.rating if isinstance(obj, RatingDefinition) else obj.pk])


def _complete(data, obj):
    if isinstance(obj, Action):
        data = {"agency": str(obj.agency_id), **data}
    return data


@pytest.mark.parametrize("edit", list(EDITS))
def test_cc01_the_second_of_two_edits_from_the_same_version_is_refused(db, edit):
    name, make, (first, second), value, (first_value, second_value) = EDITS[edit]
    obj = make()
    url = _url(name, obj)
    bm1, bm2 = two_managers()
    version = bm1.get(url).context["form"]["version"].value()
    assert bm2.get(url).context["form"]["version"].value() == version
    history_before = obj.history.count()

    assert bm1.post(url, {**_complete(first, obj), "version": version}).status_code == 302
    obj.refresh_from_db()
    assert value(obj) == first_value
    before = snapshot.take()
    response = bm2.post(url, {**_complete(second, obj), "version": version})

    assert response.status_code == 409
    snapshot.assert_unchanged(before)
    obj.refresh_from_db()
    assert obj.version == version + 1
    assert obj.history.count() == history_before + 1
    page = response.content.decode()
    assert "Your change was not saved: someone else changed this first" in page
    assert "Changed by Bea One at" in page
    # BM-2's input is shown again for re-applying, now carrying the current version.
    assert "My rival view of it." in page
    assert response.context["form"]["version"].value() == str(version + 1)
    # Saving it again is a deliberate re-apply, and succeeds.
    again = {**_complete(second, obj), "version": str(version + 1)}
    assert bm2.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert (value(obj), obj.version) == (second_value, version + 2)


def test_cc01_the_refusal_names_the_current_rating(db):
    rec = factories.make_recommendation()
    url = reverse("recommendations:rating_change", args=[rec.pk])
    bm1, bm2 = two_managers()
    bm1.post(url, {"rating": "green", "rating_rationale": "Works.", "version": "1"})
    response = bm2.post(url, {"rating": "red", "rating_rationale": "Mine.", "version": "1"})
    conflict = response.context["conflict"]
    assert conflict["values"][0] == ("Rating", "Green")
    assert conflict["by"].username == "bm-1"
    assert 'value="red" checked' in response.content.decode()


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-1"])
def test_cc02_cc03_a_missing_or_invalid_version_is_refused(db, manager, version):
    rec = factories.make_recommendation()
    client = Client()
    client.force_login(manager)
    data = {"rating": "green", "rating_rationale": "Works."}
    if version is not None:
        data["version"] = version
    before = snapshot.take()
    response = client.post(reverse("recommendations:rating_change", args=[rec.pk]), data)
    assert response.status_code == 400
    assert escape(STALE_FORM) in response.content.decode()
    snapshot.assert_unchanged(before)


@pytest.mark.parametrize("version", ["2", "99"])
def test_cc03_a_version_from_the_future_is_a_conflict(db, manager, version):
    rec = factories.make_recommendation()
    client = Client()
    client.force_login(manager)
    before = snapshot.take()
    response = client.post(
        reverse("recommendations:rating_change", args=[rec.pk]),
        {"rating": "green", "rating_rationale": "Works.", "version": version},
    )
    assert response.status_code == 409
    snapshot.assert_unchanged(before)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("edit", ["rating", "action"])
def test_cc04_a_real_race_on_postgresql_saves_exactly_one(edit):
    """Two threads, two connections, one barrier: both send the same version."""
    name, make, rivals, value, values = EDITS[edit]
    obj = make()
    url = _url(name, obj)
    clients = two_managers()
    history_before = obj.history.count()
    barrier = threading.Barrier(2)
    statuses = {}

    def send(index):
        try:
            barrier.wait(timeout=10)
            data = {**_complete(rivals[index], obj), "version": "1"}
            statuses[index] = clients[index].post(url, data).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses.values()) == [302, 409]
    winner = next(i for i, status in statuses.items() if status == 302)
    obj.refresh_from_db()
    assert (value(obj), obj.version) == (values[winner], 2)
    assert obj.history.count() == history_before + 1
