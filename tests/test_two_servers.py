"""Two gunicorn servers over one PostgreSQL database, one evidence store and one
Redis act as one: a session started on one is good on the other, a file
uploaded on one downloads from the other, and the same edit raced on both is
saved once, the other editor getting the conflict page. Loopback only."""

import re
import threading

import pytest

from tests import documents
from tests.http_session import Session as PlainSession
from tests.processes import (
    answers,
    app_environment,
    free_port,
    fresh_database,
    gunicorn,
    manage,
)

PASSWORD = "invented-pass-phrase-for-tests-41"  # noqa: S105 (an invented test account)
SETUP = f"""
from recommendations.models import Action, Recommendation
from scr_tracker.accounts.models import Agency, User
from scr_tracker.audit import changes_by, system_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
with changes_by(system_user(), "Two-server test setup"):
    agency = Agency.objects.create(name="Invented Borough Council", short_name="IBC")
    manager = User.objects.create_user(
        "pair-manager", password="{PASSWORD}", role="business_manager"
    )
    officer = User.objects.create_user(
        "pair-officer", password="{PASSWORD}", agency=agency, role="agency_user"
    )
    recommendation = Recommendation.objects.order_by("number").first()
    Action.objects.create(recommendation=recommendation, agency=agency, description="Invented")
for person in (manager, officer):  # an app, and recovery codes for each sign-in here
    TOTPDevice.objects.create(user=person, name="App", confirmed=True)
    codes = StaticDevice.objects.create(user=person, name="Recovery codes")
    for n in range(6):
        codes.token_set.create(token=f"pair{{n}}code")
print(recommendation.pk, Action.objects.get(agency=agency).pk)
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory, django_db_setup, django_db_blocker, redis_url):
    with django_db_blocker.unblock(), fresh_database("two_servers") as url:
        store = tmp_path_factory.mktemp("shared-store")
        var = tmp_path_factory.mktemp("var")
        env = app_environment(url, store, REDIS_URL=redis_url, VAR_DIR=str(var))
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", env=env)
        manage("load_review", "fixtures/w6.json", env=env)
        recommendation, action = manage("shell", "-c", SETUP, env=env).stdout.split()[-2:]
        logs = var / "server-one.log", var / "server-two.log"
        with gunicorn(env, free_port(), logs[0]) as one, gunicorn(env, free_port(), logs[1]) as two:
            yield {
                "one": one,
                "two": two,
                "recommendation": recommendation,
                "action": action,
                "logs": logs,
            }


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A Redis server of the test's own on a free loopback port (the machine's
    redis-server binary), stopped after; the machine's own on 6379 otherwise."""
    import shutil
    import socket
    import subprocess

    binary = shutil.which("redis-server")
    if binary is None:
        try:
            socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
        except OSError:
            pytest.fail("the two-server test needs Redis (Debian package redis-server)")
        yield "redis://127.0.0.1:6379/15"
        return
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not answers(port, b"PING\r\n", b"+PONG", process, timeout=20):
        pytest.fail("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=20)


pytestmark = [pytest.mark.postgres_only]
_codes = iter(f"pair{n}code" for n in range(6))


class Session(PlainSession):
    """Signs in with the password, then the second factor (a recovery code each
    time, so that sign-ins within one 30-second window never reuse a code)."""

    def sign_in(self, base, username, password):
        super().sign_in(base, username, password)
        response = self.post(
            f"{base}/accounts/two-factor/verify/", {"code": next(_codes), "next": "/"}
        )
        assert response.status == 302, f"second factor refused ({response.status})"
        return response


def test_signed_in_on_one_is_signed_in_on_the_other(servers):
    manager = Session()
    manager.sign_in(servers["one"], "pair-manager", PASSWORD)
    dashboard = manager.get(f"{servers['two']}/recommendations/")
    assert dashboard.status == 200
    assert "Dashboard" in dashboard.text
    assert manager.get(f"{servers['two']}/health/").status == 200


def test_uploaded_on_one_downloads_from_the_other(servers):
    officer = Session()
    officer.sign_in(servers["two"], "pair-officer", PASSWORD)
    pdf = documents.make_pdf(["Invented evidence of training delivered."])
    response = officer.post_files(
        f"{servers['one']}/evidence/new/",
        {
            "action": servers["action"],
            "summary": "Training delivered to invented teams.",
            "impact": "Audit shows invented improvement.",
        },
        [("files", "training.pdf", pdf, "application/pdf")],
    )
    assert response.status == 302, response.text[-2000:]
    manager = Session()
    manager.sign_in(servers["one"], "pair-manager", PASSWORD)
    listing = manager.get(f"{servers['two']}/evidence/")
    (submission,) = re.findall(r'href="/evidence/(\d+)/"', listing.text)[:1]
    detail = manager.get(f"{servers['two']}/evidence/{submission}/")
    (file_id,) = re.findall(r'href="/evidence/files/(\d+)/"', detail.text)
    download = manager.get(f"{servers['two']}/evidence/files/{file_id}/")
    assert download.status == 200
    assert download.body == pdf


def test_the_same_edit_raced_on_both_is_saved_once(servers):
    editors = {}
    for name in ("one", "two"):
        editors[name] = Session()
        editors[name].sign_in(servers[name], "pair-manager", PASSWORD)
    path = f"/recommendations/{servers['recommendation']}/rating/"
    forms = {}
    for name, session in editors.items():
        token, page = session.token(f"{servers[name]}{path}")
        (version,) = re.findall(r'name="version" value="(\d+)"', page.text)
        forms[name] = (token, version)
    assert forms["one"][1] == forms["two"][1]  # both drawn from the same version
    start = threading.Barrier(2)
    results = {}

    def save(name, rating):
        token, version = forms[name]
        body = (
            f"csrfmiddlewaretoken={token}&version={version}&rating={rating}"
            f"&rating_rationale=Raced+from+server+{name}"
        ).encode()
        start.wait()
        results[name] = editors[name].request(
            "POST",
            f"{servers[name]}{path}",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    threads = [
        threading.Thread(target=save, args=("one", "amber")),
        threading.Thread(target=save, args=("two", "green")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(response.status for response in results.values())
    assert statuses == [302, 409]
    (loser,) = [response for response in results.values() if response.status == 409]
    assert "changed" in loser.text.lower()


def test_a_long_upload_is_checked_in_two_processes_by_a_worker(servers):
    """A 1.2 MB text file whose one NHS number (a test number) lies in the
    second half: a gunicorn worker (one thread) forks a child for that half,
    and the child's finding refuses the file. The same file without it is
    taken."""
    officer = Session()
    officer.sign_in(servers["one"], "pair-officer", PASSWORD)
    line = "The invented partnership audited supervision notes across four teams.\n"
    body = line * (1_200_000 // len(line))
    tainted = (
        body[: len(body) * 3 // 4] + "Reference 943 476 5919 noted.\n" + body[len(body) * 3 // 4 :]
    )
    fields = {
        "action": servers["action"],
        "summary": "Audit notes of invented teams.",
        "impact": "Invented improvement.",
    }
    refused = officer.post_files(
        f"{servers['one']}/evidence/new/",
        fields,
        [("files", "notes.txt", tainted.encode(), "text/plain")],
    )
    assert refused.status == 400  # the form again, with the error
    assert "looks like an NHS, CHI or H&amp;C number (line" in refused.text
    taken = officer.post_files(
        f"{servers['one']}/evidence/new/",
        fields,
        [("files", "notes.txt", body.encode(), "text/plain")],
    )
    assert taken.status == 302, taken.text[-2000:]
    log = servers["logs"][0].read_text()
    assert log.count("characters checked in two processes") == 2
    assert "the second process failed" not in log
