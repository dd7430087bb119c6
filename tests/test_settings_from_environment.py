"""Settings come from the environment, and a bad value stops start-up naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from scr_tracker.env import env_bool, env_int, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


def start_app(**env):
    """Import the settings in a fresh interpreter, as the app does at start-up."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "REGISTER_KEY", "DEBUG"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "scr_tracker.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = start_app(DEBUG="false", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_register_key_is_required_when_debug_is_off(tmp_path):
    result = start_app(DEBUG="false", SECRET_KEY="x" * 50, VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "REGISTER_KEY must be set when DEBUG is off" in result.stderr


def test_debug_on_starts_without_a_secret_key(tmp_path):
    result = start_app(DEBUG="true", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("DATABASE_URL", "mysql://db/tracker", "DATABASE_URL must start with postgres://"),
        ("CONN_MAX_AGE", "soon", "CONN_MAX_AGE must be a whole number"),
        ("EVIDENCE_ROOT", "relative/dir", "EVIDENCE_ROOT must be an absolute path"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be"),
        ("EVIDENCE_MAX_FILE_MB", "0", "EVIDENCE_MAX_FILE_MB must be"),
        ("CLAMD_TIMEOUT", "soon", "CLAMD_TIMEOUT must be a whole number"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path, variable, value, message):
    result = start_app(
        SECRET_KEY="x" * 50, REGISTER_KEY="y" * 50, VAR_DIR=str(tmp_path), **{variable: value}
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_postgres_url_becomes_a_database_entry():
    entry = parse_database_url("postgres://app:s%40cret@db.internal:6543/tracker?sslmode=require")
    assert entry == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tracker",
        "USER": "app",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": "6543",
        "OPTIONS": {"sslmode": "require"},
    }


def test_sqlite_url_needs_an_absolute_path():
    assert parse_database_url("sqlite:////srv/t/db.sqlite3")["NAME"] == "/srv/t/db.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="absolute path"):
        parse_database_url("sqlite:///db.sqlite3")


def test_postgres_url_without_a_database_name_is_refused():
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        parse_database_url("postgres://app@db.internal:5432/")


def test_bad_database_url_message_does_not_echo_the_password():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_database_url("postgres://app:hunter2secret@db:notaport/tracker")
    assert "hunter2secret" not in str(excinfo.value)


def test_typed_readers(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("COUNT", "-1")
    assert env_bool("FLAG") is True
    assert env_bool("UNSET_FLAG", default=True) is True
    with pytest.raises(ImproperlyConfigured, match="COUNT must be at least 0"):
        env_int("COUNT", 5)


def test_single_sign_on_half_set_stops_start_up_naming_what_is_missing(tmp_path):
    result = start_app(
        DEBUG="true", VAR_DIR=str(tmp_path), OIDC_ENABLED="true", OIDC_RP_CLIENT_ID="tracker"
    )
    assert result.returncode != 0
    assert "OIDC_ENABLED needs OIDC_RP_CLIENT_SECRET, OIDC_OP_ISSUER" in result.stderr


def test_password_sign_in_takes_one_of_two_values(tmp_path):
    result = start_app(DEBUG="true", VAR_DIR=str(tmp_path), PASSWORD_SIGN_IN="nobody")
    assert result.returncode != 0
    assert "PASSWORD_SIGN_IN must be everyone or break-glass" in result.stderr
