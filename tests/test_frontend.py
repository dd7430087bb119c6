"""The built front end and the page shell: GOV.UK Frontend compiled for a
service that is not on GOV.UK, current with its sources, under a strict CSP."""

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories

FRONTEND = Path(settings.BASE_DIR) / "frontend"
BUILT = Path(settings.BASE_DIR) / "scr_tracker" / "static" / "tracker"


def test_the_built_files_are_current_with_their_sources():
    """frontend/build.sh records the SHA-256 of its sources; rebuild with `make assets`."""
    stamp = dict(
        reversed(line.split()) for line in (BUILT / "build.stamp").read_text().splitlines()
    )
    for name, digest in stamp.items():
        actual = hashlib.sha256((FRONTEND / name).read_bytes()).hexdigest()
        assert actual == digest, f"frontend/{name} changed since the build: run `make assets`"
    assert set(stamp) == {"package.json", "package-lock.json", "tracker.scss", "_images.scss"}


def test_the_stylesheet_has_nothing_of_gov_uk_s_identity():
    css = (BUILT / "tracker.css").read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "url(" not in css  # no Royal Arms, no images at all
    assert "#4a2a7a" in css  # the partnership's own brand colour
    assert ".govuk-generic-header" in css


def test_pages_use_the_generic_header_and_no_crown(client, manager):
    client.force_login(manager)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert 'class="govuk-generic-header"' in page
    assert "govuk-header__logotype" not in page and "crown" not in page.lower()


def test_every_page_gets_a_strict_csp_with_a_nonce_for_its_one_inline_script(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline == [f' nonce="{nonce}"']
    # A fresh nonce on every response.
    assert nonce not in Client().get(reverse("login"))["Content-Security-Policy"]


def test_not_found_and_forbidden_pages_are_in_the_service_design(client, agency_a_user):
    client.force_login(agency_a_user)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert "govuk-generic-header" in missing.content.decode()
    refused = client.get(reverse("evidence:held_files"))
    assert refused.status_code == 403
    assert "Your role does not let you review evidence, or release or reject held files." in (
        refused.content.decode()
    )


def test_the_server_error_page_stands_alone():
    """500.html is rendered without a request: it must need no context."""
    from django.template.loader import get_template

    page = get_template("500.html").render()
    assert "Sorry, there is a problem with the service" in page


def test_password_reset_sends_a_link_by_email(client, manager, mailoutbox):
    manager.email = "manager@example.invalid"
    with factories.setup_changes():
        manager.save()
    response = client.post(reverse("password_reset"), {"email": manager.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()


@pytest.mark.usefixtures("collected_static")
def test_pages_link_the_collected_hashed_files_as_a_deployment_serves_them(
    client, w6, manager, agency_a_user
):
    """With the production static set-up (manifest, hashed names), every kind
    of page renders and links files that exist in the collected set."""
    rec = w6.recommendations.first()
    pages = [
        (None, reverse("login")),
        (manager, reverse("reporting:dashboard")),
        (manager, reverse("recommendations:recommendation_detail", args=[rec.pk])),
        (agency_a_user, reverse("recommendations:my_actions")),
        (agency_a_user, reverse("evidence:submission_create")),
    ]
    root = Path(settings.STATIC_ROOT)
    for user, url in pages:
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        linked = re.findall(r'(?:href|src)="/static/([^"]+)"', response.content.decode())
        assert {name.split("/")[-1].split(".")[0] for name in linked} >= {"tracker", "favicon"}
        for name in linked:
            assert re.search(r"\.[0-9a-f]{12}\.", name), f"{name} is not a hashed name"
            assert (root / name).is_file(), f"{url} links {name}, which was not collected"


def test_pages_print_without_navigation_buttons_or_forms():
    from pathlib import Path

    css = (Path(__file__).parent.parent / "scr_tracker/static/tracker/tracker.css").read_text()
    blocks = [part.split("}}", 1)[0] for part in css.split("@media print{")[1:]]
    ours = [block for block in blocks if block.startswith(".govuk-skip-link,")]
    assert len(ours) == 1
    selectors, rule = ours[0].split("{", 1)
    for hidden in (".govuk-header", ".govuk-service-navigation", ".govuk-button", "form"):
        assert hidden in selectors.split(",")
    assert rule.startswith("display:none")
