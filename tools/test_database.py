"""Create or drop a fresh PostgreSQL database for one test run.

    python tools/test_database.py create [--require]   prints a DATABASE_URL
    python tools/test_database.py drop URL

Without --require, an unreachable server prints nothing and exits 3, so the
caller can fall back to SQLite; with --require (CI), it is an error.
"""

import os
import sys
import time

import psycopg
from psycopg import sql

HOST = os.environ.get("PGHOST", "127.0.0.1")
PORT = os.environ.get("PGPORT", "5432")
USER = os.environ.get("PGUSER", "postgres")


def admin_connection():
    return psycopg.connect(
        host=HOST, port=PORT, user=USER, dbname="postgres", autocommit=True, connect_timeout=5
    )


def create(require: bool) -> int:
    name = f"scr_tracker_run_{int(time.time())}_{os.getpid()}"
    try:
        with admin_connection() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        if require:
            print(f"PostgreSQL at {HOST}:{PORT} (user {USER}) is required: {exc}", file=sys.stderr)
            return 2
        return 3
    print(f"postgres://{USER}@{HOST}:{PORT}/{name}")
    return 0


def drop(url: str) -> int:
    name = url.rsplit("/", 1)[-1]
    if not name.startswith("scr_tracker_run_"):
        print(f"Refusing to drop {name!r}: not a test-run database.", file=sys.stderr)
        return 2
    with admin_connection() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["create"]:
        sys.exit(create(require="--require" in sys.argv))
    if sys.argv[1:2] == ["drop"] and len(sys.argv) == 3:
        sys.exit(drop(sys.argv[2]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
