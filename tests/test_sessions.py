"""Sessions people can see and end: every sign-in is listed, the others can
be signed out at once, a session ends after its absolute lifetime however
active, and a password change ends the other sessions."""

import time

from django.test import Client
from django.urls import reverse

from scr_tracker.accounts.models import SignedInSession
from scr_tracker.accounts.sessions import SIGNED_IN_AT


def signed_in(user, browser):
    client = Client(HTTP_USER_AGENT=browser)
    client.force_login(user)
    return client


def signed_in_through_the_form(user, browser, code):
    """As a person signs in: the password form, then a recovery code."""
    client = Client(HTTP_USER_AGENT=browser)
    password = "correct horse battery staple"  # noqa: S105 (the factories' invented password)
    assert (
        client.post(reverse("login"), {"username": user.username, "password": password}).status_code
        == 302
    )
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    return client


def test_your_sessions_lists_each_sign_in_and_marks_this_one(manager):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=manager, name="App", confirmed=True)
    codes = StaticDevice.objects.create(user=manager, name="Recovery codes")
    for code in ("invented1", "invented2"):
        codes.token_set.create(token=code)
    office = signed_in_through_the_form(manager, "Invented Office Browser 1.0", "invented1")
    signed_in_through_the_form(manager, "Invented Phone Browser 2.0", "invented2")
    page = office.get(reverse("your_sessions"))
    shown = list(page.context["sessions"])
    assert len(shown) == 2
    assert "Invented Office Browser 1.0" in page.text and "Invented Phone Browser 2.0" in page.text
    assert page.text.count("This browser") == 1


def test_signing_out_everywhere_else_ends_the_others_at_once(manager, executive):
    office = signed_in(manager, "Invented Office Browser 1.0")
    phone = signed_in(manager, "Invented Phone Browser 2.0")
    colleague = signed_in(executive, "Invented Browser")
    response = office.post(reverse("end_other_sessions"))
    assert response.status_code == 302
    assert phone.get(reverse("reporting:dashboard")).status_code == 302  # signed out
    assert office.get(reverse("reporting:dashboard")).status_code == 200
    assert colleague.get(reverse("reporting:dashboard")).status_code == 200  # not theirs
    assert SignedInSession.objects.filter(user=manager).count() == 1


def test_a_session_ends_at_its_absolute_lifetime_however_active(manager, settings):
    client = signed_in(manager, "Invented Browser")
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(reverse("reporting:dashboard")).status_code == 302


def test_a_password_change_ends_the_other_sessions(manager):
    other = signed_in(manager, "Invented Browser")
    assert other.get(reverse("reporting:dashboard")).status_code == 200
    manager.set_password("A new invented pass phrase 29")
    manager.save(update_fields=["password"])
    assert other.get(reverse("reporting:dashboard")).status_code == 302


def test_signing_out_forgets_the_sign_in(manager):
    client = signed_in(manager, "Invented Browser")
    assert SignedInSession.objects.filter(user=manager).count() == 1
    client.post(reverse("logout"))
    assert not SignedInSession.objects.filter(user=manager).exists()
