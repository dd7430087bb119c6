"""What "Needs your attention" costs on every signed-in page, at scale
(figures printed, never asserted).

    make bench-attention     # or: .venv/bin/python benchmarks/attention.py [--scale 10000]

Builds the pages benchmark's data set (benchmarks/pages.py: 10,000
recommendations, 50,000 actions, 100,000 submissions) on a fresh PostgreSQL
database, then times, for a business manager and for an agency user, each of
the counts on its own, the one query of the home page (all of them) and the
one query of every other page (a manager's menu counts only), median of 9.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import World, fresh_database  # noqa: E402

RUNS = 9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000)
    args = parser.parse_args()
    with fresh_database():
        run(args.scale)


def timed(work):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(scale):
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("load_review", str(ROOT / "fixtures" / "w6.json"), verbosity=0)
    world = World()
    world.grow_to(scale)
    from scr_tracker.accounts.models import User
    from scr_tracker.reporting import attention

    manager = User.objects.get(pk=world.manager.pk)
    officer = User.objects.filter(role="agency_user").order_by("pk").first()
    print(f"{'who':<10}{'count':<52}{'rows':>8}{'median ms':>11}")
    for who, person in (("manager", manager), ("agency", officer)):
        counters = attention.KINDS[person.role](person, timezone.localdate())
        for key, _, _, queryset in counters:
            rows = queryset.count()
            print(f"{who:<10}{key:<52}{rows:>8}{timed(queryset.count):>11.1f}")

        for label, everything in (
            ("ALL: the home page's one query", True),
            ("MENU: other pages' one query", False),
        ):

            def once(person=person, everything=everything):
                person.__dict__.pop("_attention", None)
                attention.for_user(person, everything=everything)

            print(f"{who:<10}{label:<52}{'':>8}{timed(once):>11.1f}")


if __name__ == "__main__":
    main()
