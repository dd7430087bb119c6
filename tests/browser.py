"""Real browser tests: Playwright driving the machine's Chromium, with axe-core.

Chromium is Debian's (`apt-get install chromium`); Playwright cannot download
browsers here. Without Chromium the browser tests are skipped and reported,
except in CI, where that is a failure.
"""

import os
import shutil
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.test import Client

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Chromium for the browser tests: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI runs these")
    # Playwright's sync API runs an event loop in this thread; the tests also
    # use the ORM in it to arrange data and check results (test-only).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, migrated_data, settings):
    """The live server, with cookies the plain-HTTP test server can set (static
    files are served unhashed from their sources, as conftest sets for every
    test that does not ask for the collected set)."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    return live_server


@pytest.fixture
def open_as(browser, site):
    """open_as(user) -> a Playwright page signed in as ``user`` (or signed out
    for None). Every page's console errors and CSP violations fail the test."""
    contexts, problems = [], []

    def open_as(user=None, second_factor=True, **context_options):
        """``second_factor=False``: past the password only (the code comes next)."""
        options = {"viewport": {"width": 1200, "height": 900}, **context_options}
        context = browser.new_context(base_url=site.url, **options)
        contexts.append(context)
        if user is not None:
            client = Client()
            if second_factor:
                client.force_login(user)
            else:
                client.force_login_password_only(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": site.url}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda message: problems.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: problems.append(str(error)))
        return page

    yield open_as
    for context in contexts:
        context.close()
    # A 4xx page logs "Failed to load resource"; anything else is a real problem.
    real = [p for p in problems if "Failed to load resource" not in p]
    assert not real, f"browser console errors: {real}"


def axe_violations(page):
    """axe-core's WCAG A/AA violations on the page as it is now."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def describe(violations):
    lines = []
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
