"""Passkeys in Chromium, with a virtual authenticator (DevTools' WebAuthn
domain): a new business manager sets up a passkey as their second factor, gets
recovery codes, signs out, and signs in again with password and passkey."""

from urllib.parse import urlsplit

import pytest
from django_otp_webauthn.models import WebAuthnCredential

from scr_tracker.accounts.models import SignInEvent
from scr_tracker.accounts.roles import BUSINESS_MANAGER
from tests import factories
from tests.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def passkeys_on(site, settings):
    """Passkeys bound to the live server's own origin (http://localhost)."""
    host = urlsplit(site.url).hostname
    assert host == "localhost", "browsers offer passkeys on localhost, not on an IP address"
    settings.PASSKEYS_OFFERED = True
    settings.OTP_WEBAUTHN_RP_ID = host
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [site.url]
    return site


def with_authenticator(page):
    """A platform authenticator that says yes, as Windows Hello would."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


def sign_in_with_password(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_passkey_is_set_up_then_used_to_sign_in(passkeys_on, open_as, w6):
    manager = factories.make_user(BUSINESS_MANAGER, username="new-manager")
    page = open_as()
    with_authenticator(page)
    sign_in_with_password(page, manager)
    page.get_by_role("heading", name="Set up your second factor").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Set up a passkey").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    assert WebAuthnCredential.objects.filter(user=manager, confirmed=True).count() == 1
    page.get_by_role("link", name="I have kept them: continue").click()
    page.get_by_role("heading", name="Where the recommendations of SCR W6 stand").wait_for()

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password(page, manager)
    page.get_by_role("heading", name="Use your passkey").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Use your passkey").click()
    page.get_by_role("heading", name="Where the recommendations of SCR W6 stand").wait_for()
    events = list(
        SignInEvent.objects.filter(user=manager)
        .order_by("at", "pk")
        .values_list("event", flat=True)
    )
    assert events == [
        "signed_in",
        "second_factor_set",
        "signed_out",
        "signed_in",
        "second_factor_passed",
    ]


def test_a_reset_removes_the_passkey_too(passkeys_on, open_as, w6, manager):
    from scr_tracker.accounts.resets import reset_second_factor

    person = factories.make_user(BUSINESS_MANAGER, username="passkey-person")
    page = open_as()
    with_authenticator(page)
    sign_in_with_password(page, person)
    page.get_by_role("button", name="Set up a passkey").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    reset_second_factor(person, manager, "Lost the laptop")
    assert not WebAuthnCredential.objects.filter(user=person).exists()
    page.goto("/")
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
