"""The backup-and-restore drill at scale (figures printed, never asserted).

    make bench-drill    # or: .venv/bin/python benchmarks/drill.py [--recommendations 10000]

On a fresh PostgreSQL database (127.0.0.1:5432, user postgres; dropped at the
end) it builds the benchmark data set of benchmarks/pages.py (10,000
recommendations, 50,000 actions, 100,000 submissions, 500,000 history rows)
and stores one file for every tenth submission (10,000 files of 16 KB). Then,
each as the documented command in its own process:
  1. manage.py backup DIR;
  2. the store is deleted, and a new, empty database is created;
  3. manage.py restore DIR into them;
  4. manage.py verify_evidence (sizes and SHA-256 of every file);
and prints each step's time, the dump's size and the files' size.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import _database, fresh_database, use_benchmark_settings  # noqa: E402

FILE_BYTES = 16 * 1024
FILE_EVERY = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="drill-"))
    use_benchmark_settings(
        ALLOWED_HOSTS="testserver", STATIC_MANIFEST="false", EVIDENCE_ROOT=str(work / "store")
    )
    try:
        with fresh_database() as url:
            run(args.recommendations, url, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build(total, store):
    import django

    django.setup()
    from django.core.management import call_command

    from benchmarks.pages import World
    from evidence.models import Submission, SubmissionFile

    call_command("migrate", verbosity=0)
    world = World()
    world.grow_to(total)
    store.mkdir(parents=True, exist_ok=True)
    files = []
    ids = Submission.objects.order_by("pk").values_list("pk", flat=True)
    for index, submission_id in enumerate(ids.iterator(chunk_size=5000)):
        if index % FILE_EVERY:
            continue
        data = hashlib.sha256(str(submission_id).encode()).digest() * (FILE_BYTES // 32)
        name = f"bench-{submission_id}.bin"
        (store / name).write_bytes(data)
        files.append(
            SubmissionFile(
                submission_id=submission_id,
                file=name,
                original_name=f"evidence {submission_id}.pdf",
                content_type="application/pdf",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    SubmissionFile.objects.bulk_create(files, batch_size=5000)
    from django.db import connections

    connections.close_all()
    return Submission.objects.count(), len(files)


def manage(*args, env):
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - started, result.stdout.strip().splitlines()[-1]


def run(total, url, work):
    store = work / "store"
    started = time.perf_counter()
    submissions, files = build(total, store)
    print(
        f"Built {total:,} recommendations, {submissions:,} submissions, {files:,} files "
        f"in {time.perf_counter() - started:.0f} s"
    )
    env = dict(os.environ, LOG_FORMAT="text")
    backup = work / "backup"
    rows = []
    seconds, said = manage("backup", str(backup), env=env)
    rows.append(("backup (pg_dump + copy + check)", seconds, said))
    dump = (backup / "database.dump").stat().st_size
    copied = sum(p.stat().st_size for p in (backup / "evidence").iterdir())
    shutil.rmtree(store)
    restored_url = _database("create", "--require")
    try:
        restored_env = dict(env, DATABASE_URL=restored_url)
        seconds, said = manage("restore", str(backup), env=restored_env)
        rows.append(("restore (check + pg_restore + copy)", seconds, said))
        seconds, said = manage("verify_evidence", env=restored_env)
        rows.append(("verify_evidence (SHA-256 of every file)", seconds, said))
    finally:
        from django.db import connections

        connections.close_all()
        _database("drop", restored_url)
    print(f"{'step':<42}{'seconds':>9}  outcome")
    for name, seconds, said in rows:
        print(f"{name:<42}{seconds:>9.1f}  {said}")
    print(f"{'whole drill':<42}{sum(r[1] for r in rows):>9.1f}")
    print(
        f"database dump: {dump / 1e6:.1f} MB (custom format, compressed); "
        f"evidence files: {copied / 1e6:.1f} MB in {files:,} files"
    )


if __name__ == "__main__":
    main()
