"""send_reminders at scale (figures printed, never asserted).

    .venv/bin/python benchmarks/reminders.py [--requests 5000]

On a fresh PostgreSQL database (127.0.0.1:5432, user postgres; dropped at the
end): 30 agencies with two users each, two business managers, and N open
requests spread from due in a week to two months overdue, each on its own
action. It runs the reminder command twice (the second run has nothing new to
send) and prints each run's SQL statements, time and notifications created.
Emails go to Django's in-memory backend.
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.database import fresh_database, use_benchmark_settings  # noqa: E402

use_benchmark_settings()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    args = parser.parse_args()
    with fresh_database():
        run(args.requests)


def run(count):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    from evidence import reminders
    from evidence.models import AssuranceRequest
    from recommendations.models import Action, Recommendation, Review
    from scr_tracker.accounts.models import Agency, User
    from scr_tracker.accounts.roles import AGENCY_USER, BUSINESS_MANAGER
    from scr_tracker.audit import changes_by, system_user

    system, today = system_user(), timezone.localdate()
    with changes_by(system, "Benchmark data"):
        agencies = [
            Agency.objects.create(name=f"Bench Agency {n}", short_name=f"BA{n}") for n in range(30)
        ]
        review = Review.objects.create(
            reference="BENCH R", title="Invented", kind="cspr", completed_year=2024,
            period_from_year=2019, period_to_year=2023, publication="published",
        )  # fmt: skip
        for n, agency in enumerate(agencies):
            for k in range(2):
                User.objects.create_user(
                    f"bench-{n}-{k}", email=f"bench-{n}-{k}@example.invalid", agency=agency,
                    role=AGENCY_USER,
                )  # fmt: skip
        manager = User.objects.create_user(
            "bench-manager", email="bench-m@example.invalid", role=BUSINESS_MANAGER
        )
        User.objects.create_user(
            "bench-manager-2", email="b2@example.invalid", role=BUSINESS_MANAGER
        )
    recs = Recommendation.objects.bulk_create(
        Recommendation(review=review, number=n, short_title="x", text="x", updated_by=system)
        for n in range(1, count // 5 + 2)
    )
    actions = Action.objects.bulk_create(
        Action(recommendation=recs[n // 5], agency=agencies[n % 30], description="Invented.")
        for n in range(count)
    )
    AssuranceRequest.objects.bulk_create(
        AssuranceRequest(
            action=action,
            agency_id=action.agency_id,
            requested_by=manager,
            due_date=today + timedelta(days=7 - (n % 67)),
            good_evidence="Invented.",
        )
        for n, action in enumerate(actions)
    )
    print(f"{count} open requests, 60 agency users, 2 business managers\n")
    print(f"{'run':<30}{'statements':>12}{'seconds':>10}{'created':>10}")
    for name in ("first run", "second run (nothing new)"):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            outcome = reminders.run(today=today)
            seconds = time.perf_counter() - start
        print(f"{name:<30}{len(queries):>12}{seconds:>10.2f}{len(outcome.created):>10}")


if __name__ == "__main__":
    main()
