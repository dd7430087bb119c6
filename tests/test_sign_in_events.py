"""Sign-in events reach the access log (AU catalogue): sign-in, failure,
lockout, sign-out and the second factor, each with who and from where, and
never a password, a code or a username that is no account."""

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from scr_tracker.accounts.models import SignInEvent
from tests.test_retention import tables_mentioning

PASSWORD = "correct horse battery staple"  # noqa: S105 (the factories' invented password)


def events_of(user=None):
    return list(
        SignInEvent.objects.filter(user=user).order_by("pk").values_list("event", flat=True)
    )


def test_a_sign_in_with_both_factors_and_a_sign_out_are_recorded(manager):
    TOTPDevice.objects.create(user=manager, name="App", confirmed=True)
    StaticDevice.objects.create(user=manager, name="Recovery").token_set.create(token="invented1")
    client = Client(REMOTE_ADDR="192.0.2.5")
    client.post(reverse("login"), {"username": manager.username, "password": PASSWORD})
    client.post(reverse("two_factor_verify"), {"code": "invented1"})
    client.post(reverse("logout"))
    assert events_of(manager) == ["signed_in", "recovery_code_used", "signed_out"]
    assert {str(e.address) for e in SignInEvent.objects.filter(user=manager)} == {"192.0.2.5"}


def test_failures_and_the_lockout_are_recorded_without_the_typed_words(manager, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"), {"username": manager.username, "password": "Typed Wrong Invented 7"}
        )
    assert events_of(manager).count("failed") == settings.AXES_FAILURE_LIMIT
    assert "locked_out" in events_of(manager)
    # A username that is no account (perhaps a password in the wrong box) is not kept.
    Client().post(reverse("login"), {"username": "Secret Invented Phrase 9", "password": "x"})
    assert events_of(None).count("failed") == 1
    assert tables_mentioning("Typed Wrong Invented 7") == []
    assert [t for t in tables_mentioning("Secret Invented Phrase 9") if "axes" not in t] == []
