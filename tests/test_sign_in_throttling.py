"""Sign-in throttling (AU catalogue): after the limit of failures for one
username, or from one address, sign-in is refused for the cooling-off period,
with the same page whether or not the account exists; the right password is
refused during it; it ends by itself; password reset requests are limited."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from scr_tracker.accounts.roles import AGENCY_USER
from tests import factories

PASSWORD = "correct horse battery staple"  # noqa: S105 (the factories' invented password)


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def officer(db, settings):
    settings.SIGN_IN_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT = 5
    return factories.make_user(AGENCY_USER, agency=factories.make_agency(), username="officer")


def test_the_limit_of_failures_locks_the_username_and_the_right_password_is_refused(officer):
    client = Client()
    for _ in range(4):
        assert sign_in(client, "officer", "wrong password here").status_code == 200
    locked = sign_in(client, "officer", "wrong password here")
    assert locked.status_code == 429
    assert "Try again later" in locked.text and "15 minutes" in locked.text
    # From another address, with the right password: still refused.
    assert sign_in(Client(), "officer", PASSWORD, address="198.51.100.7").status_code == 429


def test_the_lockout_page_is_the_same_for_an_unknown_username(officer):
    pages = {}
    for username in ("officer", "nobody-by-this-name"):
        client = Client()
        for n in range(5):
            response = sign_in(client, username, "wrong password here", address=f"203.0.113.{n}")
        # Each page has its own script nonce; everything else must be the same.
        text = re.sub(r'nonce="[^"]*"', "", response.text)
        pages[username] = (response.status_code, text.replace(username, "NAME"))
    assert pages["officer"] == pages["nobody-by-this-name"]
    assert pages["officer"][0] == 429


def test_one_address_trying_many_usernames_is_locked_out(officer):
    client = Client()
    for n in range(5):
        sign_in(client, f"guess-{n}", "wrong password here", address="192.0.2.99")
    assert sign_in(client, "officer", PASSWORD, address="192.0.2.99").status_code == 429
    # The officer, from their own address, is not locked out by someone else's guessing.
    assert sign_in(Client(), "officer", PASSWORD, address="192.0.2.50").status_code == 302


def test_the_lockout_ends_after_the_cooling_off_period(officer, settings):
    from axes.models import AccessAttempt

    client = Client()
    for _ in range(5):
        sign_in(client, "officer", "wrong password here")
    assert sign_in(client, "officer", PASSWORD).status_code == 429
    earlier = datetime.timedelta(minutes=settings.SIGN_IN_COOLOFF_MINUTES + 1)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= earlier
        attempt.save()
    assert sign_in(client, "officer", PASSWORD).status_code == 302


def test_a_manager_can_unlock_a_person_at_once(officer, capsys):
    client = Client()
    for _ in range(5):
        sign_in(client, "officer", "wrong password here")
    call_command("axes_reset_username", "officer")
    assert sign_in(client, "officer", PASSWORD).status_code == 302


def test_password_reset_requests_are_limited_per_address(db):
    from django.core.cache import cache

    cache.clear()
    client = Client()
    url = reverse("password_reset")
    answers = [
        client.post(url, {"email": f"someone{n}@example.invalid"}, REMOTE_ADDR="192.0.2.77")
        for n in range(6)
    ]
    assert [a.status_code for a in answers[:5]] == [302] * 5
    assert answers[5].status_code == 429 and "password reset requests" in answers[5].text
    # Another address is not affected.
    other = client.post(url, {"email": "x@example.invalid"}, REMOTE_ADDR="192.0.2.78")
    assert other.status_code == 302
