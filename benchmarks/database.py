"""What the PostgreSQL benchmarks share: the settings they run under, and a
fresh database (tools/test_database.py) that is dropped when they end."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def use_benchmark_settings(**extra):
    """Production settings (DEBUG off) with throwaway keys and plain-text logs;
    ``extra`` more environment variables."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr_tracker.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("REGISTER_KEY", "benchmark-only")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_FORMAT", "text")  # the figures, not a JSON line per request
    os.environ.update(extra)


def _database(command, *args):
    script = str(ROOT / "tools" / "test_database.py")
    out = subprocess.run(  # noqa: S603 (this interpreter, the project's own script)
        [sys.executable, script, command, *args], capture_output=True, text=True, check=False
    )
    if command == "create" and out.returncode != 0:
        raise SystemExit(out.stderr.strip() or "PostgreSQL is required for this benchmark.")
    return out.stdout.strip()


@contextmanager
def fresh_database(keep=False):
    """A new PostgreSQL database as DATABASE_URL for the block; dropped after
    it (or kept, its URL printed)."""
    url = _database("create", "--require")
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"Kept: DATABASE_URL={url}")
        else:
            _database("drop", url)


def sign_in(client, user):
    """A test client signed in as ``user`` past both factors, as after a real
    sign-in with an authenticator app (a confirmed device, the session marked)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Benchmark app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
