"""Requests per second of the tracker as deployed (figures printed, never asserted).

    make bench-serving  # or: .venv/bin/python benchmarks/serving.py [--seconds 5] [--rounds 3]

On a fresh PostgreSQL database (127.0.0.1:5432, user postgres; dropped at the
end) with W6 and the demo data (load_demo), it starts gunicorn as the README
runs it in production (2 sync workers, DEBUG off, collected static files) and
drives it with wrk (16 connections, 2 threads) on loopback:
  - an anonymous empty view and a signed-in empty view (the stack's own cost;
    two views added by benchmarks/bench_settings.py, never by the app);
  - the W6 dashboard, a recommendation page and the evidence list, as the demo
    business manager; the agency home ("my agency's actions") as a demo agency user.
Rounds are interleaved (every page once per round) and each figure is the median
of the rounds; each page's ratio is to the anonymous empty view of the same run.
Peak RSS is the largest worker's high-water mark while the page was driven.
Pass environment variables to compare settings, e.g. CONN_MAX_AGE=0.
"""

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import fresh_database, sign_in, use_benchmark_settings  # noqa: E402

CONNECTIONS, THREADS, WORKERS = 16, 2, 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk's duration per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (Debian package wrk).")
    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    use_benchmark_settings(
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(work),
        EVIDENCE_ROOT=str(work / "evidence"),
        LOG_FORMAT="json",  # the servers log as in production (to a file here)
    )
    try:
        with fresh_database():
            run(args.seconds, args.rounds, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def manage(*args, **env):
    subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def sessions():
    """Session cookies for the demo manager and a demo agency user, made as a
    sign-in makes them; and the first W6 recommendation's id."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from recommendations.models import Recommendation
    from scr_tracker.accounts.models import User

    cookies = {}
    for username in ("demo-manager", "demo-council"):
        client = Client()
        sign_in(client, User.objects.get(username=username))
        cookies[username] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    recommendation = Recommendation.objects.filter(review__reference="SCR W6").order_by("number")[0]
    from django.db import connections

    connections.close_all()
    return cookies, recommendation.pk


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port, log):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings"}
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "scr_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def workers(master):
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def reset_peaks(pids):
    for pid in pids:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM (Linux)


def peak_mb(pids):
    peaks = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks)


def wrk(url, seconds, cookie=None):
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, to_ms(latency["50"]), to_ms(latency["99"]), int(bad.group(1)) if bad else 0


def status_of(port, path, cookie):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    status = connection.getresponse().status
    connection.close()
    return status


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run(seconds, rounds, work):
    manage("migrate", "--noinput")
    manage("load_review", "fixtures/w6.json")
    manage("load_demo", DEBUG="true")
    manage("collectstatic", "--noinput")
    cookies, recommendation = sessions()
    manager, agency = cookies["demo-manager"], cookies["demo-council"]
    pages = [
        ("anonymous empty view", "/bench/empty/", None),
        ("signed-in empty view", "/bench/empty-signed-in/", manager),
        ("dashboard (W6)", "/recommendations/", manager),
        ("recommendation page", f"/recommendations/{recommendation}/", manager),
        ("agency home", "/recommendations/my-actions/", agency),
        ("evidence list", "/evidence/", manager),
    ]
    port = free_port()
    with open(work / "gunicorn.log", "wb") as log:
        server = start_gunicorn(port, log)
        try:
            pids = workers(server)
            base = f"http://127.0.0.1:{port}"
            for name, path, cookie in pages:
                status = status_of(port, path, cookie)
                if status != 200:  # a redirect (say, to sign in) would measure the wrong page
                    raise SystemExit(f"{name} ({path}) answered {status}, not 200")
            for _, path, cookie in pages:  # warm up: imports, templates, connections
                wrk(base + path, 1, cookie)
            results = {name: [] for name, _, _ in pages}
            peaks = {name: 0.0 for name, _, _ in pages}
            for _ in range(rounds):
                for name, path, cookie in pages:
                    reset_peaks(pids)
                    results[name].append(wrk(base + path, seconds, cookie))
                    peaks[name] = max(peaks[name], peak_mb(pids))
        finally:
            server.terminate()
            server.wait(timeout=30)
    anonymous = statistics.median(r[0] for r in results[pages[0][0]])
    settings_said = (
        ", ".join(f"{k}={os.environ[k]}" for k in ("CONN_MAX_AGE",) if k in os.environ)
        or "the documented defaults"
    )
    print(
        f"gunicorn {WORKERS} sync workers, wrk {CONNECTIONS} connections, {seconds} s x "
        f"{rounds} interleaved rounds (median), with {settings_said}"
    )
    print(
        f"{'page':<24}{'req/s':>9}{'x anon':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'peak RSS MB':>13}{'non-2xx':>9}"
    )
    for name, _, _ in pages:
        runs = results[name]
        rps = statistics.median(r[0] for r in runs)
        p50, p99 = (statistics.median(r[i] for r in runs) for i in (1, 2))
        print(
            f"{name:<24}{rps:>9.0f}{rps / anonymous:>8.2f}{p50:>9.1f}{p99:>9.1f}"
            f"{peaks[name]:>13.0f}{sum(r[3] for r in runs):>9}"
        )


if __name__ == "__main__":
    main()
