"""The second factor (AU catalogue): set up with a QR code or a typed key,
a code after the password, a replayed code refused, recovery codes shown once
and each usable once, wrong codes throttled, and required per role: a person
who must have it reaches nothing but setting it up or entering it."""

from binascii import unhexlify

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER, EXECUTIVE
from scr_tracker.accounts.two_factor import PENDING_KEY
from tests import factories

PASSWORD = "correct horse battery staple"  # noqa: S105 (the factories' invented password)


def signed_in_with_password(user):
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_for(key_hex):
    return f"{TOTP(unhexlify(key_hex)).token():06d}"


@pytest.mark.parametrize("role", [BUSINESS_MANAGER, EXECUTIVE, AGENCY_USER])
def test_without_a_second_factor_only_setting_it_up_is_reachable(db, role):
    agency = factories.make_agency() if role == AGENCY_USER else None
    user = factories.make_user(role, agency=agency)
    client = signed_in_with_password(user)
    for url in ("/", reverse("evidence:submission_list"), reverse("evidence:notification_list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))


def test_setting_up_shows_a_qr_code_and_the_key_and_stores_nothing_until_confirmed(db):
    user = factories.make_user(BUSINESS_MANAGER)
    client = signed_in_with_password(user)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    assert 'autocomplete="one-time-code"' in page.text
    key = client.session[PENDING_KEY]
    typed = page.context["secret"].replace(" ", "")
    from base64 import b32encode

    assert typed == b32encode(unhexlify(key)).decode()  # the key to type is the QR code's
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.text
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()


def test_setting_up_then_recovery_codes_shown_once_then_in(db):
    user = factories.make_user(BUSINESS_MANAGER)
    client = signed_in_with_password(user)
    client.get(reverse("two_factor_setup"))
    key = client.session[PENDING_KEY]
    response = client.post(reverse("two_factor_setup"), {"code": code_for(key), "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_recovery_codes"))
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10 and all(code in shown.text for code in codes)
    assert client.get(reverse("two_factor_recovery_codes")).status_code == 302  # once only
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    # The code that confirmed the app cannot be used again to sign in.
    again = signed_in_with_password(user)
    refused = again.post(reverse("two_factor_verify"), {"code": code_for(key)})
    assert refused.status_code == 400


@pytest.fixture
def manager_with_app(db):
    user = factories.make_user(BUSINESS_MANAGER)
    app = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes")
    recovery.token_set.create(token="invented1")
    return user, app


def test_a_code_after_the_password_lets_the_person_in_and_a_replay_is_refused(manager_with_app):
    user, app = manager_with_app
    client = signed_in_with_password(user)
    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))
    code = code_for(app.key)
    response = client.post(
        reverse("two_factor_verify"), {"code": code, "next": "/recommendations/"}
    )
    assert response.status_code == 302 and response["Location"] == "/recommendations/"
    assert client.get(reverse("reporting:dashboard")).status_code == 200
    replay = signed_in_with_password(user)
    refused = replay.post(reverse("two_factor_verify"), {"code": code})
    assert refused.status_code == 400
    assert "used already" in refused.text
    assert replay.get(reverse("reporting:dashboard")).status_code == 302


def test_a_recovery_code_works_once(manager_with_app):
    user, _ = manager_with_app
    first = signed_in_with_password(user)
    response = first.post(reverse("two_factor_verify"), {"code": "invented1"})
    assert response.status_code == 302
    assert not StaticToken.objects.filter(token="invented1").exists()
    second = signed_in_with_password(user)
    assert second.post(reverse("two_factor_verify"), {"code": "invented1"}).status_code == 400


def test_wrong_codes_are_throttled_so_guessing_stops_working(manager_with_app):
    user, app = manager_with_app
    client = signed_in_with_password(user)
    for _ in range(3):
        assert client.post(reverse("two_factor_verify"), {"code": "000000"}).status_code == 400
    # Straight after the failures, even the right code is refused for a while.
    response = client.post(reverse("two_factor_verify"), {"code": code_for(app.key)})
    assert response.status_code == 400
    app.refresh_from_db()
    # Each failure doubles the wait; tries inside the wait are refused unchecked.
    assert app.throttling_failure_count >= 1 and app.throttling_failure_timestamp is not None


def test_agency_users_may_be_exempted_by_the_setting(db, settings):
    agency = factories.make_agency()
    user = factories.make_user(AGENCY_USER, agency=agency)
    settings.MFA_REQUIRED_FOR_AGENCY_USERS = False
    client = signed_in_with_password(user)
    assert client.get(reverse("recommendations:my_actions")).status_code == 200
    settings.MFA_REQUIRED_FOR_AGENCY_USERS = True
    assert client.get(reverse("recommendations:my_actions")).status_code == 302
    # Business managers cannot be exempted.
    manager = factories.make_user(BUSINESS_MANAGER)
    settings.MFA_REQUIRED_FOR_AGENCY_USERS = False
    assert signed_in_with_password(manager).get("/recommendations/").status_code == 302


def test_the_admin_needs_the_second_factor_too(db):

    admin_user = factories.make_superuser("breakglass", password=PASSWORD)
    client = signed_in_with_password(admin_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_a_manager_resets_a_lost_second_factor_with_a_reason_and_sessions_end(
    manager_with_app, capsys
):
    from django.core.management import CommandError, call_command

    from scr_tracker.accounts.models import SignInEvent

    user, _ = manager_with_app
    boss = factories.make_user(BUSINESS_MANAGER, username="boss")
    signed_in = Client()
    signed_in.force_login(user)
    assert signed_in.get(reverse("reporting:dashboard")).status_code == 200
    with pytest.raises(CommandError, match="not an active business manager"):
        call_command("reset_second_factor", user.username, by="nobody", reason="Lost phone")
    assert TOTPDevice.objects.filter(user=user).exists()  # nothing changed
    call_command(
        "reset_second_factor", user.username, by="boss", reason="Lost phone; checked in person"
    )
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    event = SignInEvent.objects.get(event="second_factor_reset")
    assert (event.user, event.by, event.reason) == (user, boss, "Lost phone; checked in person")
    # Every session ended; the next sign-in sets up a new app.
    assert signed_in.get(reverse("reporting:dashboard")).status_code == 302
    again = signed_in_with_password(user)
    assert again.get("/")["Location"].startswith(reverse("two_factor_setup"))
