"""In the browser: a business manager invites a new agency officer, who
chooses a password from the email's link, sets up the second factor and signs
in; then the manager switches the account off and the officer's open page
sends them to sign in."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import TOTP

from scr_tracker.accounts.models import User
from tests import factories
from tests.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invite_choose_a_password_sign_in_then_switched_off(
    w6, open_as, manager, agency_a, settings
):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    factories.make_action(recommendation=w6.recommendations.get(number=1), agency=agency_a)
    page = open_as(manager)
    page.goto("/")
    page.get_by_role("link", name="Manage").click()
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_label("First name").fill("Invented")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("Email address").fill("invented.newcomer@example.invalid")
    page.get_by_label("Role").select_option(label="Agency user")
    page.get_by_label("Agency", exact=True).select_option(label=agency_a.name)
    page.get_by_label("Why").fill("Joined the safeguarding team")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invented Newcomer was invited.").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "people-invited.png", full_page=True)

    link = re.search(r"https?://[^/\s]+(/accounts/welcome/\S+)", mail.outbox[0].body).group(1)
    newcomer = open_as()
    newcomer.goto(link)
    newcomer.get_by_role("heading", name="Choose your password").wait_for()
    newcomer.get_by_label("New password", exact=True).fill("three invented words 2026")
    newcomer.get_by_label("New password confirmation").fill("three invented words 2026")
    newcomer.get_by_role("button", name="Save my password").click()
    newcomer.get_by_text("Your password is set.").wait_for()
    newcomer.get_by_label("Username").fill("invented.newcomer@example.invalid")
    newcomer.get_by_label("Password").fill("three invented words 2026")
    newcomer.get_by_role("button", name="Sign in").click()
    # Required for agency users by default: set up the app on first sign-in.
    key = b32decode(newcomer.locator("#secret").inner_text().replace(" ", ""))
    newcomer.get_by_label("Code").fill(f"{TOTP(key).token():06d}")
    newcomer.get_by_role("button", name="Confirm").click()
    newcomer.get_by_role("link", name="I have kept them: continue").click()
    newcomer.get_by_role("heading", name="My agency's actions").wait_for()
    assert w6.recommendations.get(number=1).short_title in newcomer.content()

    person = User.objects.get(email="invented.newcomer@example.invalid")
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="Switch the account off").click()
    page.get_by_label("Why").fill("Left the council")
    page.get_by_role("button", name="Switch the account off").click()
    page.get_by_text("account is off").wait_for()
    assert "Account on: On → Off" in page.content()
    assert "Left the council" in page.content()

    newcomer.reload()
    newcomer.get_by_role("heading", name="Sign in").wait_for()
    assert "/accounts/login/" in newcomer.url
