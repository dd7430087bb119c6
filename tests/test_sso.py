"""Single sign-on end to end, in Chromium, against a real OpenID Connect
provider (the npm package oidc-provider, a certified implementation) that the
test starts on loopback: a known person signs in (then passes the tracker's
second factor); an unknown or unverified email is refused with a message; a
token whose nonce is not ours, or issued for another client (audience), is
refused; with PASSWORD_SIGN_IN=break-glass, passwords sign in superusers only."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from scr_tracker.accounts.models import SignInEvent
from scr_tracker.accounts.roles import AGENCY_USER
from scr_tracker.accounts.sso import TrackerOIDCBackend
from tests import factories
from tests.browser import ARTIFACTS, axe_violations
from tests.processes import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = Path(__file__).resolve().parent / "oidc"
PROVIDER_NAME = "Invented County Council"
ACCOUNTS = {
    "known": {"email": "Known.Officer@example.invalid", "email_verified": True},
    "stranger": {"email": "stranger@example.invalid", "email_verified": True},
    "unverified": {"email": "known.officer@example.invalid", "email_verified": False},
}


def _node():
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Node and tests/oidc/node_modules (tools/run-tests installs it)")
        pytest.skip("Node or tests/oidc/node_modules is missing (npm ci --prefix tests/oidc)")
    return node


@pytest.fixture
def provider(site, settings):
    """The provider on a free loopback port, our tracker configured for it."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    clients = [
        {
            "client_id": "tracker",
            "client_secret": "invented-tracker-secret",
            "redirect_uris": [f"{site.url}/accounts/sso/callback/"],
        },
        {
            "client_id": "other",
            "client_secret": "invented-other-secret",
            "redirect_uris": [f"{site.url}/health/"],
        },
    ]
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENTS": json.dumps(clients),
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "oidc-provider.log").open("a")
    process = subprocess.Popen(  # noqa: S603 (the machine's node, our own script)
        [_node(), str(HERE / "provider.mjs")],
        env=env,
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        first = process.stdout.readline().strip()
        assert first == "ready", f"the provider did not start: {first}"
        settings.OIDC_ENABLED = True
        settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
        settings.OIDC_RP_CLIENT_ID = "tracker"
        settings.OIDC_RP_CLIENT_SECRET = "invented-tracker-secret"
        settings.OIDC_OP_ISSUER = issuer
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
        settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        log.close()


@pytest.fixture
def officer(agency_a):
    person = factories.make_user(
        AGENCY_USER,
        agency=agency_a,
        username="known-officer",
        email="known.officer@example.invalid",
    )
    TOTPDevice.objects.create(user=person, name="App", confirmed=True)
    return person


def _sign_in_at_provider(page, login):
    """oidc-provider's own login and consent pages."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()


def test_a_known_person_signs_in_with_the_provider_then_the_second_factor(
    provider, open_as, officer, w6
):
    page = open_as()
    page.goto(reverse("login"))
    assert axe_violations(page) == []
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    assert page.url.startswith(provider)
    _sign_in_at_provider(page, "known")
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    device = TOTPDevice.objects.get(user=officer)
    page.get_by_label("Code").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="My agency's actions").wait_for()
    assert SignInEvent.objects.filter(user=officer, event="sso_signed_in").count() == 1


@pytest.mark.parametrize(
    ("login", "said"),
    [
        ("stranger", "No account in the tracker uses the email address your organisation gave"),
        ("unverified", "Your organisation did not confirm your email address"),
    ],
)
def test_an_unknown_or_unverified_email_is_refused_with_what_to_do(
    provider, open_as, officer, login, said
):
    page = open_as()
    page.goto(reverse("oidc_authentication_init"))
    _sign_in_at_provider(page, login)
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    assert said in page.content()
    assert not SignInEvent.objects.filter(event="sso_signed_in").exists()


def test_a_token_with_someone_elses_nonce_is_refused(provider, open_as, officer):
    """The authorisation request is altered on its way to the provider, as an
    attacker injecting a token made for another sign-in would: the nonce in
    the ID token is then not the one this browser's session expects."""
    page = open_as()

    def swap_nonce(route):
        # Our redirect to the provider, with its nonce replaced (Playwright does
        # not intercept the redirected request itself).
        response = route.fetch(max_redirects=0)
        url = urlparse(response.headers["location"])
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert query["nonce"] != "not-the-sessions-nonce"
        query["nonce"] = "not-the-sessions-nonce"
        moved = url._replace(query=urlencode(query)).geturl()
        route.fulfill(response=response, headers={**response.headers, "location": moved})

    page.route(lambda url: url.endswith("/accounts/sso/"), swap_nonce)
    page.goto(reverse("oidc_authentication_init"))
    _sign_in_at_provider(page, "known")
    page.get_by_role("heading", name="Sign in", exact=True).wait_for()
    assert "Signing in with your organisation did not work" in page.content()
    assert not SignInEvent.objects.filter(event="sso_signed_in").exists()


def test_a_token_issued_for_another_client_is_refused(provider, open_as, site, settings):
    """A real ID token from the provider, for the client "other": our backend
    refuses it for its audience, and accepts it when it is ours (the control)."""
    page = open_as()
    query = {
        "client_id": "other",
        "redirect_uri": f"{site.url}/health/",
        "response_type": "code",
        "scope": "openid email",
        "nonce": "other-nonce",
        "state": "other-state",
    }
    page.goto(f"{provider}/auth?{urlencode(query)}")
    _sign_in_at_provider(page, "known")
    page.wait_for_url(f"{site.url}/health/?*")
    code = parse_qs(urlparse(page.url).query)["code"][0]
    token = requests.post(
        f"{provider}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": f"{site.url}/health/",
            "client_id": "other",
            "client_secret": "invented-other-secret",
        },
        timeout=10,
    ).json()["id_token"]
    backend = TrackerOIDCBackend()
    with pytest.raises(SuspiciousOperation, match="(?i)audience"):
        backend.verify_token(token, nonce="other-nonce")
    settings.OIDC_RP_CLIENT_ID = "other"
    assert TrackerOIDCBackend().verify_token(token, nonce="other-nonce")["aud"] == "other"


def test_break_glass_only_passwords_refuse_everyone_else(provider, officer, settings):
    settings.PASSWORD_SIGN_IN = "break-glass"
    refused = Client().post(
        reverse("login"),
        {"username": officer.username, "password": "correct horse battery staple"},
    )
    assert refused.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in refused.wsgi_request.session
    factories.make_superuser("break-glass", "long enough passphrase 1")
    allowed = Client().post(
        reverse("login"), {"username": "break-glass", "password": "long enough passphrase 1"}
    )
    assert allowed.status_code == 302
