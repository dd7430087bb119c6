"""The idle time-out: the page says when it will happen, asking is not
activity, "Stay signed in" moves it on; and a form sent after it keeps what
was typed (guarded) for its own person, who is brought back to the form after
signing in again."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation
from scr_tracker.accounts.kept_input import KEPT
from scr_tracker.middleware import REFRESHED
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(w6):
    rec = w6.recommendations.get(number=2)
    with factories.setup_changes():
        rec.rating, rec.rating_rationale = "amber", "Invented reason."
        rec.save()
    return rec


def expire(client):
    """The session ends as the idle time-out ends it (its row is left, as
    Django leaves expired rows until clearsessions)."""
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_each_page_says_when_its_session_ends_and_asking_does_not_extend_it(
    manager_client, settings
):
    page = manager_client.get(reverse("reporting:dashboard")).content.decode()
    left = int(re.search(r'data-expires-in="(\d+)"', page).group(1))
    assert settings.SESSION_COOKIE_AGE - 2 <= left <= settings.SESSION_COOKIE_AGE
    assert 'data-warn="120"' in page
    session = manager_client.session
    session[REFRESHED] -= 300  # five minutes idle
    session.save()
    key = session.session_key
    expiry = Session.objects.get(session_key=key).expire_date
    answer = manager_client.get(reverse("session_time")).json()
    assert (
        settings.SESSION_COOKIE_AGE - 302
        <= answer["expires_in"]
        <= settings.SESSION_COOKIE_AGE - 298
    )
    assert Session.objects.get(session_key=key).expire_date == expiry  # not moved on


def test_stay_signed_in_moves_the_expiry_on(manager_client, settings):
    manager_client.get(reverse("reporting:dashboard"))
    session = manager_client.session
    session[REFRESHED] -= 300
    session.save()
    key = session.session_key
    before = Session.objects.get(session_key=key).expire_date
    answer = manager_client.post(reverse("stay_signed_in"), HTTP_ACCEPT="application/json")
    assert answer.json() == {"expires_in": settings.SESSION_COOKIE_AGE}
    assert Session.objects.get(session_key=key).expire_date > before
    # Without JavaScript, the same button goes back to the page.
    back = manager_client.post(reverse("stay_signed_in"), {"next": "/evidence/"})
    assert back.status_code == 302 and back.url == "/evidence/"
    away = manager_client.post(reverse("stay_signed_in"), {"next": "https://elsewhere.example/"})
    assert away.url == reverse("home")


def test_a_form_sent_after_the_time_out_keeps_what_was_typed(rec, manager, manager_client):
    form = reverse("recommendations:rating_change", args=[rec.pk])
    manager_client.get(form)
    expire(manager_client)
    typed = {
        "version": rec.version,
        "rating": "green",
        "rating_rationale": "Audit at WS1 1TP shows the new practice in place.",
    }
    sent = manager_client.post(form, typed, HTTP_REFERER=f"http://testserver{form}")
    assert sent.status_code == 302
    assert sent.url == f"{reverse('login')}?next={form.replace('/', '%2F')}"
    login_page = manager_client.get(sent.url).content.decode()
    assert "You were signed out after 15 minutes without activity" in login_page
    kept = manager_client.session[KEPT]
    assert kept["user"] == str(manager.pk) and kept["path"] == form
    # Kept through the guard: the postcode itself is nowhere in the session.
    assert kept["data"]["rating_rationale"] == [
        "Audit at [removed: a full postcode] shows the new practice in place."
    ]
    assert "csrfmiddlewaretoken" not in kept["data"]
    rec.refresh_from_db()
    assert rec.rating == "amber"  # nothing saved

    manager_client.force_login(manager)  # signs in again, in the same browser
    back = manager_client.get(form).content.decode()
    assert "What you typed is back in the form below" in back
    assert re.search(r'value="green"[^>]*checked', back)
    assert "Audit at [removed: a full postcode] shows the new practice in place.</textarea>" in back
    assert KEPT not in manager_client.session  # used once
    again = manager_client.get(form).content.decode()
    assert "What you typed is back" not in again and "shows the new practice" not in again


def test_the_kept_text_goes_to_nobody_else(rec, manager, manager_client):
    form = reverse("recommendations:rating_change", args=[rec.pk])
    expire(manager_client)
    manager_client.post(
        form,
        {"version": rec.version, "rating": "red", "rating_rationale": "Private working note."},
        HTTP_REFERER=f"http://testserver{form}",
    )
    someone_else = factories.make_user("business_manager", username="colleague")
    manager_client.force_login(someone_else)  # another person at the same computer
    page = manager_client.get(form).content.decode()
    assert "Private working note." not in page and "What you typed is back" not in page


def test_a_version_kept_across_the_time_out_still_detects_a_change_meanwhile(
    rec, manager, manager_client
):
    form = reverse("recommendations:rating_change", args=[rec.pk])
    drawn = rec.version
    expire(manager_client)
    manager_client.post(
        form,
        {"version": drawn, "rating": "green", "rating_rationale": "Done."},
        HTTP_REFERER=f"http://testserver{form}",
    )
    with factories.setup_changes():
        Recommendation.objects.filter(pk=rec.pk).update(version=drawn + 1)
    manager_client.force_login(manager)
    page = manager_client.get(form).content.decode()
    assert f'name="version" value="{drawn}"' in page  # the version they were editing
    saved = manager_client.post(
        form, {"version": drawn, "rating": "green", "rating_rationale": "Done."}
    )
    assert saved.status_code == 409


def test_files_are_not_kept_and_the_page_says_so(w6, agency_a, agency_a_user, client_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = factories.make_action(recommendation=w6.recommendations.get(number=1), agency=agency_a)
    url = reverse("evidence:submission_create")
    expire(client_a)
    client_a.post(
        url,
        {
            "action": action.pk,
            "summary": "Invented audit.",
            "impact": "It helped.",
            "files": SimpleUploadedFile("audit.txt", b"An invented audit.\n", "text/plain"),
        },
        HTTP_REFERER=f"http://testserver{url}?action={action.pk}",
    )
    client_a.force_login(agency_a_user)
    page = client_a.get(f"{url}?action={action.pk}").content.decode()
    assert "Choose any files again: files are not kept." in page
    assert "Invented audit.</textarea>" in page


def test_nothing_is_kept_from_the_restricted_registers(manager, manager_client):
    url = reverse("intake:term_add")
    expire(manager_client)
    manager_client.post(url, {"term": "Invented Pseudonym"}, HTTP_REFERER=f"http://testserver{url}")
    assert KEPT not in Client().session  # a fresh client has nothing
    assert KEPT not in manager_client.session
