"""The tracker run as separate processes, as it is deployed: manage.py commands
and gunicorn servers, against a PostgreSQL database of the test's own."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def url_of(settings_dict, name=None) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{name or settings_dict['NAME']}"


def _admin():
    d = connection.settings_dict
    return psycopg.connect(
        host=d.get("HOST") or "127.0.0.1",
        port=d.get("PORT") or "5432",
        user=d.get("USER") or "postgres",
        password=d.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@contextmanager
def fresh_database(suffix):
    """A new, empty PostgreSQL database beside the test database; its URL."""
    name = f"{connection.settings_dict['NAME']}_{suffix}"[:63]
    with _admin() as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url_of(connection.settings_dict, name)
    finally:
        with _admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def app_environment(database_url, evidence_root, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DATABASE_URL=database_url,
        EVIDENCE_ROOT=str(evidence_root),
        SECRET_KEY="tests-only-secret-key-of-some-length-0123456789-abcdefghij",
        REGISTER_KEY="tests-only-register-key",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_FORMAT="json",
        DJANGO_SETTINGS_MODULE="scr_tracker.settings",
    )
    env.update(extra)
    return env


def manage(*args, env, check=True):
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


def table_contents(database_url) -> dict[str, list[str]]:
    """Every row of every table in the public schema, as sorted text."""
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: sorted(
                row[0]
                for row in conn.execute(
                    sql.SQL("SELECT t::text FROM {} AS t").format(sql.Identifier(table))
                )
            )
            for table in tables
        }


@contextmanager
def gunicorn(env, port, log_path):
    """gunicorn as the README runs it in production, on loopback; stopped after.
    Its log (JSON lines) goes to ``log_path``."""
    log = open(log_path, "ab")  # noqa: SIM115 (closed when the server stops)
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "scr_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        _wait_for(port, process, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_for(port, process, log_path, timeout=30):
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {Path(log_path).read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not listen on {port} within {timeout} s")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port, ping: bytes, pong: bytes, process, timeout: float) -> bool:
    """Whether a daemon started on ``port`` answers ``ping`` with ``pong``
    before ``timeout`` seconds (False, with the process killed, if it dies or
    stays silent)."""
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(ping)
                if conn.recv(16).startswith(pong):
                    return True
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    return False
