"""The idle time-out moves on with use, but a signed-in request writes the
session row at most once a minute (not on every request)."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scr_tracker.middleware import REFRESHED


def session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]


def age_the_refresh(client, seconds):
    session = client.session
    session[REFRESHED] -= seconds
    session.save()


def test_requests_within_a_minute_write_no_session(manager_client):
    url = reverse("evidence:submission_list")
    session_writes(manager_client, url)  # the first request after sign-in stamps it
    assert session_writes(manager_client, url) == []
    assert session_writes(manager_client, url) == []


def test_a_minute_later_the_expiry_moves_on(manager_client):
    url = reverse("evidence:submission_list")
    session_writes(manager_client, url)
    key = manager_client.session.session_key
    age_the_refresh(manager_client, 61)
    before = Session.objects.get(session_key=key).expire_date
    assert len(session_writes(manager_client, url)) == 1
    assert Session.objects.get(session_key=key).expire_date > before


def test_an_anonymous_request_writes_no_session(client, db):
    assert session_writes(client, reverse("login")) == []
    assert not Session.objects.exists()


def test_an_idle_session_still_ends(manager_client, settings):
    url = reverse("evidence:submission_list")
    session_writes(manager_client, url)
    key = manager_client.session.session_key
    from datetime import timedelta

    from django.utils import timezone

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = manager_client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
