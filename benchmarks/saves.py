"""The cost of one save at 10,000 recommendations with a registered restricted
document (figures printed, never asserted).

    make bench-saves    # or: .venv/bin/python benchmarks/saves.py [--recommendations 10000]

On a fresh PostgreSQL database it builds the data set of benchmarks/pages.py
and registers a 50-page restricted document (about 25,000 words of invented
text, its shingles keyed as the register page keys them). Then, as a business
manager through the test client (the server's own time, no network), it
changes one recommendation's rating 20 times (each from the current version),
and creates 200 notifications one by one; it prints the median and the 95th
percentile of each, and the queries of one rating change.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import fresh_database, use_benchmark_settings  # noqa: E402

use_benchmark_settings(ALLOWED_HOSTS="testserver", STATIC_MANIFEST="false", LOG_FORMAT="text")
WORDS = [
    "practice",
    "agency",
    "review",
    "meeting",
    "child",
    "parent",
    "school",
    "health",
    "police",
    "plan",
    "audit",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=10_000)
    args = parser.parse_args()
    with fresh_database():
        run(args.recommendations)


def register_document(user):
    from scr_tracker.audit import changes_by
    from scr_tracker.intake import keyed
    from scr_tracker.intake.models import RestrictedDocument, RestrictedShingle

    rng = random.Random(50)  # noqa: S311 (invented text)
    text = " ".join(rng.choice(WORDS) + str(rng.randint(0, 999)) for _ in range(25_000))
    shingles = keyed.shingle_digests(keyed.words(text))
    with changes_by(user, "Benchmark: a 50-page restricted document"):
        document = RestrictedDocument.objects.create(
            label="Invented restricted report (benchmark)",
            sha256="0" * 64,
            shingle_count=len(shingles),
            key_id=keyed.key_id(),
            registered_by=user,
        )
    RestrictedShingle.objects.bulk_create(
        (RestrictedShingle(document=document, digest=d) for d in shingles), batch_size=5000
    )
    return len(shingles)


def summary(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def run(total):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.pages import World
    from evidence.models import AssuranceRequest, Notification
    from recommendations.models import Action, Recommendation
    from scr_tracker.audit import changes_by

    call_command("migrate", verbosity=0)
    world = World()
    world.grow_to(total)
    shingles = register_document(world.manager)
    rec = Recommendation.objects.order_by("pk").first()
    url = f"/recommendations/{rec.pk}/rating/"
    ratings = ["red", "amber", "green"]
    times, queries = [], 0
    for n in range(21):
        version = Recommendation.objects.get(pk=rec.pk).version
        data = {
            "version": version,
            "rating": ratings[n % 3],
            "rating_rationale": f"Invented rationale number {n}.",
        }
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = world.client.post(url, data)
            elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        if n:  # the first warms the caches, as the first request after a deploy does
            times.append(elapsed * 1000)
            queries = len(captured.captured_queries)
    action = Action.objects.filter(recommendation=rec).first()
    with changes_by(world.manager, "Benchmark request"):
        request = AssuranceRequest.objects.create(
            action=action,
            agency_id=action.agency_id,
            requested_by=world.manager,
            due_date=rec.target_date,
            good_evidence="Invented: an audit's findings.",
        )
    notes = []
    for n in range(200):
        started = time.perf_counter()
        Notification.objects.create(
            recipient=world.manager,
            request=request,
            kind=f"benchmark-{n}",
            subject="Invented subject",
            body="Invented body of a notification.",
        )
        notes.append((time.perf_counter() - started) * 1000)
    print(f"{total:,} recommendations; restricted document of {shingles:,} shingles registered")
    print(f"{'save':<34}{'median ms':>11}{'p95 ms':>9}{'queries':>9}")
    median, p95 = summary(times)
    print(f"{'rating change (POST, server)':<34}{median:>11.1f}{p95:>9.1f}{queries:>9}")
    median, p95 = summary(notes)
    print(f"{'one notification created':<34}{median:>11.2f}{p95:>9.2f}{'':>9}")


if __name__ == "__main__":
    main()
