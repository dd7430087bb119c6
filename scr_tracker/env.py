"""Typed readers for environment variables.

Every setting comes from the environment through these helpers, so a bad value
stops the app at start-up with ImproperlyConfigured naming the variable, instead
of surfacing later as a confusing runtime error.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value}).")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = env_str(name)
    path = Path(raw) if raw else default
    if not path.is_absolute():
        raise ImproperlyConfigured(f"{name} must be an absolute path (got {raw!r}).")
    return path


POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}


def parse_database_url(url: str, name: str = "DATABASE_URL") -> dict:
    """Turn a DATABASE_URL into a Django DATABASES entry.

    Supported: sqlite:////absolute/path.sqlite3 and
    postgres://user:password@host:port/dbname?sslmode=require.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:////abs/path -> path "//abs/path"; sqlite:///rel is refused so
        # the database never depends on the directory the app was started in.
        path = unquote(parts.path)
        if not path.startswith("//"):
            raise ImproperlyConfigured(
                f"{name}: a SQLite URL needs an absolute path, e.g. sqlite:////srv/tracker/db.sqlite3"
            )
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path[1:]}
    if parts.scheme in POSTGRES_SCHEMES:
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname:
            raise ImproperlyConfigured(f"{name}: the PostgreSQL URL names no database.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"{name}: the port is not a number.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise ImproperlyConfigured(
        f"{name} must start with postgres:// or sqlite:// (got scheme {parts.scheme!r})."
    )


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
