"""What every response says to the browser: signed-in pages are private and
never stored (a shared office PC keeps nothing after sign-out); unused browser
features are refused; passwords with runs are refused; refusals log one line."""

import logging
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from scr_tracker.logs import JsonFormatter, RefusalsInOneLine


@pytest.mark.parametrize(
    "route",
    [
        "reporting:dashboard",
        "evidence:submission_list",
        "reporting:export_csv",
        "reporting:export_xlsx",
        "evidence:notification_list",
    ],
)
def test_every_signed_in_response_is_private_and_never_stored(manager_client, route):
    response = manager_client.get(reverse(route))
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, which closes it
    response.close()
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_a_refusal_to_a_signed_in_person_is_not_stored_either(client_a):
    response = client_a.get(reverse("evidence:held_files"))
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]


def test_signing_in_is_not_stored(client, manager):
    manager.set_password("Invented pass phrase for tests 7")
    manager.save(update_fields=["password"])
    response = client.post(
        reverse("login"),
        {"username": manager.username, "password": "Invented pass phrase for tests 7"},
    )
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_page_says_no_store_only_where_django_does(client, db):
    response = client.get(reverse("password_reset_done"))
    assert "private" not in response.get("Cache-Control", "")


def test_every_response_refuses_unused_browser_features(client, manager_client):
    for response in (client.get(reverse("login")), manager_client.get(reverse("home"))):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
        assert "publickey-credentials-get=(self)" in policy


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaaaa", "abcd-Invented-9", "Invented-7-1234", "qwertyInvented7", "ababababababab"],
)
def test_passwords_with_runs_or_too_few_characters_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any("repeated or consecutive" in m or "too few" in m for m in refused.value.messages)


def test_a_good_passphrase_is_accepted():
    validate_password("correct horse battery staple")


def test_a_refusal_is_logged_in_one_line_without_its_traceback():
    try:
        raise PermissionError("Only business managers check held files.")
    except PermissionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x/",), exc_info
    )
    record.status_code = 403
    assert RefusalsInOneLine().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line and "exception" not in line and "Traceback" not in line
    # A fault keeps its traceback.
    fault = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), exc_info
    )
    fault.status_code = 500
    RefusalsInOneLine().filter(fault)
    assert "Traceback" in JsonFormatter().format(fault)


def test_the_console_handler_applies_the_filter(settings):
    assert "refusals_in_one_line" in settings.LOGGING["handlers"]["console"]["filters"]
