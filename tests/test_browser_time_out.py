"""The idle time-out in real Chromium: the warning opens before it, is
accessible, and "Stay signed in" moves the session's expiry on; when nobody
answers, the dialog says the person was signed out and that what they typed
is kept; and a form saved after the time-out comes back, after signing in
again, with what was typed in it."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation
from tests.browser import axe_violations, describe, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


def sign_in(page, code):
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()


def session_row(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=key)


def test_the_warning_opens_and_staying_signed_in_moves_the_expiry_on(
    w6, open_as, manager, settings
):
    settings.SESSION_COOKIE_AGE = 40
    settings.SESSION_WARNING_SECONDS = 37  # opens 3 seconds after the page
    page = open_as(manager)
    page.goto(reverse("reporting:dashboard"))
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    dialog.wait_for(timeout=15_000)
    assert "you will be signed out in" in dialog.inner_text()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus moved in
    violations = axe_violations(page)
    assert not violations, describe(violations)
    screenshot(page, "time-out-warning")
    before = session_row(page).expire_date
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    assert session_row(page).expire_date > before


def test_unanswered_the_dialog_says_the_person_was_signed_out(w6, open_as, manager, settings):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_WARNING_SECONDS = 5
    page = open_as(manager)
    page.goto(reverse("reporting:dashboard"))
    gone = page.get_by_role("heading", name="You have been signed out")
    gone.wait_for(timeout=20_000)
    text = page.get_by_role("dialog").inner_text()
    assert "What you typed on this page is kept" in text
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_role("button", name="Back to the page").click()
    gone.wait_for(state="hidden")


def test_a_rating_saved_after_the_time_out_comes_back_with_what_was_typed(
    w6, open_as, site, manager
):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    app = TOTPDevice.objects.create(user=manager, name="App", confirmed=True)
    recovery = StaticDevice.objects.create(user=manager, name="Recovery codes")
    recovery.token_set.create(token="invented1code")
    rec = w6.recommendations.get(number=4)
    page = open_as()
    page.goto(reverse("recommendations:rating_change", args=[rec.pk]))
    sign_in(page, f"{TOTP(app.bin_key).token():06d}")
    page.get_by_role("heading", name="Change the rating").wait_for()
    page.get_by_label("Amber").check()
    page.get_by_label("Why this rating").fill("Half the invented teams have been audited.")
    # Lunch: the session ends on the server.
    Session.objects.filter(pk=session_row(page).pk).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    page.get_by_role("button", name="Save rating").click()
    page.get_by_text("You were signed out after").wait_for()
    assert Recommendation.objects.get(pk=rec.pk).rating == ""
    screenshot(page, "signed-out-with-text-kept")
    sign_in(page, "invented1code")  # (the app's code would be the same one again)
    page.get_by_text("What you typed is back in the form below").wait_for()
    assert page.get_by_label("Amber").is_checked()
    assert (
        page.get_by_label("Why this rating").input_value()
        == "Half the invented teams have been audited."
    )
    page.get_by_role("button", name="Save rating").click()
    page.get_by_text("The rating was changed.").wait_for()
    saved = Recommendation.objects.get(pk=rec.pk)
    assert (saved.rating, saved.rating_rationale) == (
        "amber",
        "Half the invented teams have been audited.",
    )
