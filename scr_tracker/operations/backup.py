"""Backup and restore of the database and the evidence store, consistent with
each other (docs/operations.md).

Backup: in one REPEATABLE READ transaction the tracker exports a snapshot,
pg_dump dumps exactly that snapshot (custom format), and the list of stored
files is read from the same snapshot. Then each of those files is copied and
its copy's SHA-256 checked against the row. Evidence files are never changed in
place, so the copies and the dump agree. A manifest records every file with its
size and SHA-256, and the dump's.

Restore: the backup is checked whole first (the dump's and every file's
SHA-256); the target database and store must be empty. Then pg_restore in one
transaction, the files copied back, and the store verified. A refusal leaves
the database and the store as they were."""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from evidence.models import SubmissionFile, evidence_storage
from scr_tracker.operations.store import sha256_of, stored_names, verify_store

MANIFEST, DUMP, FILES = "manifest.json", "database.dump", "evidence"
FORMAT = 1


class BackupError(Exception):
    """The backup or restore stopped; the message says why and what to do."""


def _require_postgresql():
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups are made with PostgreSQL's pg_dump; this database is "
            f"{connection.vendor}. Copy the SQLite file and the evidence folder instead."
        )


def pg_environment(settings_dict) -> dict:
    """libpq's variables for the pg tools, so no password is on a command line."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    if settings_dict.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings_dict["OPTIONS"]["sslmode"]
    return env


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed. Install PostgreSQL's client tools "
            "(Debian: postgresql-client) at the server's version or newer."
        )
    return path


def _run(args, env):
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _sha256_of_path(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class BackupSummary:
    path: Path
    dump_bytes: int
    files: int
    file_bytes: int


def backup(destination) -> BackupSummary:
    _require_postgresql()
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty. Back up into a new folder.")
    pg_dump = _tool("pg_dump")
    (destination / FILES).mkdir(parents=True, exist_ok=True)
    env = pg_environment(connection.settings_dict)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={destination / DUMP}",
            ],
            env,
        )
        # The files the dumped rows name, read in the dump's own snapshot.
        rows = list(
            SubmissionFile.objects.exclude(state__in=SubmissionFile.GONE)
            .values_list("pk", "file", "size", "sha256")
            .order_by("pk")
        )
    storage = evidence_storage()
    files = []
    for pk, name, size, sha256 in rows:
        target = destination / FILES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with storage.open(name, "rb") as source, target.open("wb") as copy:
                shutil.copyfileobj(source, copy, 1024 * 1024)
        except FileNotFoundError:
            raise BackupError(
                f"File {pk} ({name}) is recorded but not in the store. Run "
                "manage.py verify_evidence, then back up again."
            ) from None
        if target.stat().st_size != size or _sha256_of_path(target) != sha256:
            raise BackupError(
                f"File {pk} ({name}) does not match its recorded SHA-256. Run "
                "manage.py verify_evidence; the backup is incomplete."
            )
        files.append({"name": name, "size": size, "sha256": sha256})
    dump = destination / DUMP
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database": {"file": DUMP, "size": dump.stat().st_size, "sha256": _sha256_of_path(dump)},
        "files": files,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return BackupSummary(
        destination, dump.stat().st_size, len(files), sum(f["size"] for f in files)
    )


def check_backup(source) -> dict:
    """The manifest, once the dump and every file match it; BackupError otherwise."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError(f"{source} has no readable {MANIFEST}; it is not a backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is a backup of an unknown format.")
    dump = source / manifest["database"]["file"]
    if not dump.is_file() or _sha256_of_path(dump) != manifest["database"]["sha256"]:
        raise BackupError(
            f"{dump} is missing or damaged (its SHA-256 differs). Nothing was restored."
        )
    for entry in manifest["files"]:
        copy = source / FILES / entry["name"]
        if not copy.is_file() or _sha256_of_path(copy) != entry["sha256"]:
            raise BackupError(
                f"The copy of {entry['name']} is missing or damaged. Nothing was restored."
            )
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        return cursor.fetchone()[0] == 0


def restore(source):
    """Restore a backup into an empty database and an empty store; returns the
    store's verification report."""
    _require_postgresql()
    source = Path(source)
    manifest = check_backup(source)
    if not _database_is_empty():
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} is not empty. Restore into a new, "
            "empty database (createdb), then point DATABASE_URL at it. Nothing was restored."
        )
    storage = evidence_storage()
    if next(iter(stored_names(storage)), None) is not None:
        raise BackupError("The evidence store is not empty. Restore into an empty one.")
    pg_restore = _tool("pg_restore")
    env = pg_environment(connection.settings_dict)
    connection.close()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source / manifest["database"]["file"]),
        ],
        env,
    )
    for entry in manifest["files"]:
        with (source / FILES / entry["name"]).open("rb") as handle:
            saved = storage.save(entry["name"], File(handle))
        if saved != entry["name"] or sha256_of(storage, saved) != entry["sha256"]:
            raise BackupError(f"{entry['name']} could not be restored under its own name.")
    return verify_store()
